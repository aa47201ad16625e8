import { can, type Permission, type Role, type UserView } from '../contract';

/** The console's pages. The hash (#/seat, #/monitor, #/reports) keeps the tab across reloads. */
export const ROUTES = [
  'login',
  'seat',
  'calls',
  'monitor',
  'handover',
  'reports',
  'knowledge',
  'visits',
  'qc',
  'my-qc',
  'recordings',
  'admin',
  'users',
  'audit',
] as const;
export type Route = (typeof ROUTES)[number];

/**
 * The permission each page needs (the contract's one role-permission table); a role's pages are
 * the ROUTES it may see, in this order, and the first is its home.
 */
const PAGE_PERMISSION: Record<Exclude<Route, 'login'>, Permission> = {
  seat: 'seat:console',
  // 我的来电: a seat's own calls and summaries.
  calls: 'seat:console',
  monitor: 'queue:monitor',
  // 转办转介: 12345 hand-overs both ways and onward referrals (the counts need 'reports:read').
  handover: 'queue:monitor',
  // 回访: seats see the tasks assigned to them, staff every task and the satisfaction figures.
  visits: 'visits:work',
  reports: 'reports:read',
  // 质检: the QC worklist, scoring and review decisions (staff); 我的质检: a seat's own results.
  qc: 'qc:inspect',
  'my-qc': 'qc:own',
  // 录音回放: a call's recording beside its record (staff; seats play their own in 我的来电).
  recordings: 'calls:read-all',
  // 知识库: everyone reads it; supervisors and admins also maintain it ('knowledge:edit').
  knowledge: 'knowledge:read',
  // 系统管理: seat profiles (admin).
  admin: 'config:edit',
  // 用户管理 and 审计日志: administrators.
  users: 'users:manage',
  audit: 'audit:read',
};

const pagesOf = (role: Role): readonly Route[] => ROUTES.filter((r) => r !== 'login' && can(role, PAGE_PERMISSION[r]));

const ALLOWED: Record<Role, readonly Route[]> = {
  seat: pagesOf('seat'),
  supervisor: pagesOf('supervisor'),
  manager: pagesOf('manager'),
  admin: pagesOf('admin'),
};

export function homeRoute(role: Role): Route {
  return ALLOWED[role][0] ?? 'login';
}

export function allowedRoutes(role: Role): readonly Route[] {
  return ALLOWED[role];
}

/** Where a user lands: the page they asked for when their role may see it, else their home. */
export function resolveRoute(user: UserView | null, requested: Route | null): Route {
  if (!user) return 'login';
  if (requested && ALLOWED[user.role].includes(requested)) return requested;
  return homeRoute(user.role);
}

export function parseHash(hash: string): Route | null {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : null;
}

export function routeHash(route: Route): string {
  return `#/${route}`;
}

/** Roles that watch the live queue ('queue:subscribe'). */
export function watchesQueue(role: Role): boolean {
  return can(role, 'queue:monitor');
}
