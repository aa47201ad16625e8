/** Signing in: roles, the login request and the signed-in user. */
import { z } from 'zod';
import { forbiddenCharacter } from './fields.js';

export const ROLES = ['seat', 'supervisor', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  seat: '坐席律师',
  supervisor: '班长/质检',
  manager: '值班负责人',
  admin: '系统管理员',
};

export const LoginRequestSchema = z.object({
  username: z
    .string({ error: '请输入用户名' })
    .trim()
    .min(1, '请输入用户名')
    .max(64, '用户名过长')
    .refine((v) => forbiddenCharacter(v, false) === null, '用户名含有不允许的字符'),
  password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(256, '密码过长'),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  seatId: string | null;
}

/**
 * A sign-in brake counter, for administrators (GET /api/admin/login-locks): an account's failures
 * from one address (`account`), or all failures from one address (`address`).
 */
export interface LoginLockView {
  id: number;
  kind: 'account' | 'address';
  username: string | null;
  address: string;
  failures: number;
  lastFailureAt: number;
  /** When the running lock ends; null when none runs (failures only counted). */
  lockedUntil: number | null;
}
