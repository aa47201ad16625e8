import type { Role } from './auth.js';

const STAFF: readonly Role[] = ['supervisor', 'manager', 'admin'];

interface PermissionRule {
  roles: readonly Role[];
  /** The refusal a user without the permission reads (the generic one when absent). */
  refusal?: string;
}

/**
 * The one role-permission table: who may do what, by name, for both sides. On the server, HTTP
 * routes ask for a permission with transport/http.ts `requireUser(permission)`, socket handlers
 * name one in transport/socket-handlers.ts `on(...)`, and a service deciding per record (staff see
 * every call) calls `can`. The client shows pages and controls by the same table (it only hides
 * what the server would refuse).
 */
export const PERMISSIONS = {
  /** The seat console: seat status and wrap-up, transfers, "my calls". */
  'seat:console': { roles: ['seat'] },
  /** Read the knowledge base (every signed-in user). */
  'knowledge:read': { roles: ['seat', 'supervisor', 'manager', 'admin'] },
  /** The live queue (GET /api/queue, queue:subscribe and its snapshots, major-matter pushes). */
  'queue:monitor': { roles: STAFF },
  /** Act on seats and waiting calls, message seats (班长干预); each action is audited. */
  'queue:supervise': { roles: STAFF, refusal: '只有班长、值班负责人或系统管理员可以干预坐席和排队来电' },
  /** Every call: the call records list, any call's record, summary and history. */
  'calls:read-all': { roles: STAFF },
  /** Major-matter alerts: list and acknowledge. */
  'alerts:manage': { roles: STAFF },
  /** Callback requests (回电请求) a callback overflow stored: the list and its live pushes. */
  'callbacks:read': { roles: STAFF },
  /** The 回访 worklist: seats see the tasks assigned to them, staff see and assign every task. */
  'visits:work': { roles: ['seat', 'supervisor', 'manager', 'admin'] },
  /** Satisfaction figures (满意率, rated share, dissatisfied called back). */
  'satisfaction:read': { roles: STAFF },
  /** Read the routing configuration and the seats. */
  'config:read': { roles: STAFF },
  /** Change the routing configuration and seat profiles. */
  'config:edit': { roles: ['admin'] },
  /** See and clear sign-in locks (the login brake). */
  'auth:locks': { roles: ['admin'], refusal: '只有系统管理员可以查看或解除登录限制' },
  /** The duty manager's statistics and exports (统计报表). */
  'reports:read': { roles: ['manager', 'admin'] },
  /** Export callers' full numbers (audited, with a reason); everyone else exports them masked. */
  'calls:unmask': { roles: ['admin'], refusal: '只有系统管理员可以导出完整号码' },
  /** Create, edit and retire knowledge base entries (every signed-in user may read them). */
  'knowledge:edit': { roles: ['supervisor', 'admin'], refusal: '只有班长或系统管理员可以新增、修改或停用知识库条目' },
  /** Accounts (用户管理): create, disable, reset passwords, unlock. */
  'users:manage': { roles: ['admin'], refusal: '只有系统管理员可以管理用户' },
  /** 质检: the QC worklist, scoring a call, deciding a seat's review (复核), in the user's centres. */
  'qc:inspect': { roles: STAFF, refusal: '只有班长、值班负责人或系统管理员可以质检评分或决定复核' },
  /** 我的质检: a seat reads its own QC results and asks for a review (申请复核). */
  'qc:own': { roles: ['seat'], refusal: '只有坐席可以查看本人的质检结果或申请复核' },
  /** The QC sample share, review window and scoring form's weights and maxima. */
  'qc:configure': { roles: ['admin'], refusal: '只有系统管理员可以修改质检抽检比例和评分表' },
  /** Recordings' disk use and the retention sweep (录音存储). */
  'recordings:admin': { roles: ['manager', 'admin'], refusal: '只有值班负责人或系统管理员可以查看录音存储' },
  /** The audit log (审计日志). */
  'audit:read': { roles: ['admin'], refusal: '只有系统管理员可以查看审计日志' },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;

const GENERIC_REFUSAL = '当前账号无权执行此操作';

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly Role[]).includes(role);
}

/** What a user without `permission` is told. */
export function refusalOf(permission: Permission): string {
  const rule: PermissionRule = PERMISSIONS[permission];
  return rule.refusal ?? GENERIC_REFUSAL;
}
