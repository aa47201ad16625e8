/** Accounts (用户管理), one's own password (修改密码), the deployment mode and the audit log (审计日志). */
import { z } from 'zod';
import { ROLES, type Role } from './auth.js';
import { text, queryTimestamp } from './fields.js';

/** demo: the demo accounts and a 演示环境 banner; production: no demo password may exist. */
export type DeploymentMode = 'demo' | 'production';
export interface DeploymentInfo {
  mode: DeploymentMode;
}

const username = z
  .string({ error: '请输入用户名' })
  .trim()
  .regex(/^[A-Za-z0-9._-]{3,32}$/, '用户名为 3–32 位字母、数字、点、下划线或连字符');
const centres = z.array(z.string().min(1).max(40)).max(50).nullable();

/** POST /api/users: an administrator creates an account with a first password (one-time: changed at first sign-in). */
export const UserCreateSchema = z
  .object({
    username,
    displayName: text('姓名', 40).min(1, '请填写姓名'),
    role: z.enum(ROLES, { error: '请选择角色' }),
    seatId: z.string().max(40).nullable().default(null),
    /** Centres in scope (supervisors, managers); null = every centre. */
    centres: centres.default(null),
    password: z.string({ error: '请输入初始密码' }).max(256, '密码过长'),
  })
  .strict();
export type UserCreate = z.infer<typeof UserCreateSchema>;

/** PUT /api/users/:id */
export const UserUpdateSchema = z
  .object({
    displayName: text('姓名', 40).min(1, '请填写姓名'),
    role: z.enum(ROLES, { error: '请选择角色' }),
    seatId: z.string().max(40).nullable(),
    centres,
  })
  .strict();
export type UserUpdate = z.infer<typeof UserUpdateSchema>;

/** POST /api/users/:id/disabled */
export const UserDisableSchema = z.object({ disabled: z.boolean() }).strict();

/** POST /api/auth/password: everyone changes their own. */
export const PasswordChangeSchema = z
  .object({
    currentPassword: z.string({ error: '请输入当前密码' }).min(1, '请输入当前密码').max(256, '密码过长'),
    newPassword: z.string({ error: '请输入新密码' }).min(1, '请输入新密码').max(256, '密码过长'),
  })
  .strict();
export type PasswordChange = z.infer<typeof PasswordChangeSchema>;

/** An account as an administrator sees it (never the hash). */
export interface UserAdminView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  seatId: string | null;
  centres: string[] | null;
  disabled: boolean;
  mustChangePassword: boolean;
  passwordChangedAt: number | null;
  createdAt: number;
}

/** POST /api/users/:id/password-reset: the one-time password, shown once to the administrator. */
export interface PasswordResetResult {
  user: UserAdminView;
  oneTimePassword: string;
}

/** GET /api/auth/password-status: whether the signed-in user must change the password now. */
export interface PasswordStatus {
  mustChange: boolean;
  /** 'reset': one-time password; 'expired': older than the maximum age. */
  reason: 'reset' | 'expired' | null;
  expiresAt: number | null;
}

/** GET /api/audit */
export const AuditQuerySchema = z.object({
  action: z.string().max(60).optional(),
  userId: z.coerce.number().int().positive().optional(),
  target: z.string().max(120).optional(),
  from: queryTimestamp('起始时间').optional(),
  to: queryTimestamp('结束时间').optional(),
  beforeId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export interface AuditEntryView {
  id: number;
  at: number;
  userId: number | null;
  username: string;
  role: string;
  address: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  reason: string;
  hash: string;
}
export interface AuditListResponse {
  entries: AuditEntryView[];
  actions: readonly string[];
}
