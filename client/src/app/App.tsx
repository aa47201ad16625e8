import { useEffect } from 'react';
import { AppHeader } from './AppHeader';
import { ConnectionBanner } from '../shared/components/ConnectionBanner';
import { parseHash, routeHash, type Route } from '../shared/routes';
import { KnowledgePage } from '../features/knowledge/KnowledgePage';
import { LoginPage } from '../features/session/LoginPage';
import { MonitorPage } from '../features/monitor/MonitorPage';
import { MyCallsPage } from '../features/my-calls/MyCallsPage';
import { ReportsPage } from '../features/reports/ReportsPage';
import { SeatPage } from '../features/workbench/SeatPage';
import { appStore, useAppStore } from './store';

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
  if (authStatus === 'anonymous' || route === 'login') return <LoginPage />;

  return (
    <div className="shell">
      <AppHeader />
      <ConnectionBanner />
      <main className="content">
        {route === 'seat' && <SeatPage />}
        {route === 'calls' && <MyCallsPage />}
        {route === 'monitor' && <MonitorPage />}
        {route === 'reports' && <ReportsPage />}
        {route === 'knowledge' && <KnowledgePage />}
      </main>
    </div>
  );
}
