import type { Role, UserView } from '../contract';

/** The console's pages. The hash (#/seat, #/monitor, #/reports) keeps the tab across reloads. */
export const ROUTES = ['login', 'seat', 'calls', 'monitor', 'reports', 'knowledge'] as const;
export type Route = (typeof ROUTES)[number];

const ALLOWED: Record<Role, readonly Route[]> = {
  // 知识库: seats and managers read it, supervisors and admins also maintain it.
  // 我的来电 (calls): a seat's own calls and summaries.
  seat: ['seat', 'calls', 'knowledge'],
  supervisor: ['monitor', 'knowledge'],
  manager: ['monitor', 'reports', 'knowledge'],
  admin: ['monitor', 'reports', 'knowledge'],
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
  return role !== 'seat';
}
