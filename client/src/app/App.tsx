import { lazy, Suspense, useEffect, type ComponentType, type LazyExoticComponent } from 'react';
import { ConnectionBanner } from './ConnectionBanner';
import { parseHash, routeHash, type Route } from '../shared/routes';
import { AppHeader } from './AppHeader';
import { DemoBanner } from './DemoBanner';
import { PasswordGate } from '../features/users/PasswordGate';
import { appStore, useAppStore } from './store';

/** Each page is its own chunk, fetched the first time it is shown. */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): LazyExoticComponent<ComponentType> =>
  lazy(() => load().then((m) => ({ default: m[name] })));

const LoginPage = page(() => import('../features/session/LoginPage'), 'LoginPage');
const PAGES: Record<Exclude<Route, 'login'>, LazyExoticComponent<ComponentType>> = {
  seat: page(() => import('../features/workbench/SeatPage'), 'SeatPage'),
  calls: page(() => import('../features/my-calls/MyCallsPage'), 'MyCallsPage'),
  monitor: page(() => import('../features/monitor/MonitorPage'), 'MonitorPage'),
  handover: page(() => import('../features/handover/HandoverPage'), 'HandoverPage'),
  visits: page(() => import('../features/visits/VisitsPage'), 'VisitsPage'),
  qc: page(() => import('../features/qc/QcPage'), 'QcPage'),
  'my-qc': page(() => import('../features/qc/MyQcPage'), 'MyQcPage'),
  reports: page(() => import('../features/reports/ReportsPage'), 'ReportsPage'),
  knowledge: page(() => import('../features/knowledge/KnowledgePage'), 'KnowledgePage'),
  users: page(() => import('../features/users/UsersPage'), 'UsersPage'),
  audit: page(() => import('../features/audit/AuditPage'), 'AuditPage'),
  recordings: page(() => import('../features/recordings/RecordingsPage'), 'RecordingsPage'),
  admin: page(() => import('../features/admin/AdminPage'), 'AdminPage'),
};

/**
 * Keeps #/route in the address bar in step with the store, both ways. The login page leaves the
 * address alone, so a page asked for before signing in (a bookmark of #/knowledge) opens after it.
 */
export function useHashRoute(route: Route): void {
  useEffect(() => {
    if (route === 'login') return;
    const hash = routeHash(route);
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [route]);
  useEffect(() => {
    const onHash = () => {
      const wanted = parseHash(window.location.hash);
      if (wanted) appStore.getState().navigate(wanted);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
}

export function App() {
  const authStatus = useAppStore((s) => s.authStatus);
  const route = useAppStore((s) => s.route);
  useHashRoute(route);

  if (authStatus === 'checking') return <div className="splash">正在连接 12348 热线系统…</div>;
  if (authStatus === 'anonymous' || route === 'login') {
    return (
      <Suspense fallback={<div className="splash">正在连接 12348 热线系统…</div>}>
        <DemoBanner />
        <LoginPage />
      </Suspense>
    );
  }

  const Page = PAGES[route];
  return (
    <div className="shell">
      <DemoBanner />
      <AppHeader />
      <PasswordGate />
      <ConnectionBanner />
      <main className="content">
        <Suspense fallback={<p className="muted">正在加载页面…</p>}>
          <Page />
        </Suspense>
      </main>
    </div>
  );
}
