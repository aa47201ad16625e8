import { useState } from 'react';
import { session } from './root';
import { ROLE_LABELS } from '../contract';
import { centreName } from '../shared/labels';
import { allowedRoutes, type Route } from '../shared/routes';
import { seatActionsFor } from '../features/workbench/seat-actions';
import { useAppStore } from './store';
import { selectSummaryFiled } from '../features/summary/slice';
import { summary } from './root';
import { ChangePasswordButton } from '../features/users/PasswordDialog';

const TAB_LABELS: Record<Route, string> = {
  login: '登录',
  seat: '坐席工作台',
  calls: '我的来电',
  monitor: '班长监控',
  handover: '转办转介',
  visits: '回访',
  qc: '质检',
  'my-qc': '我的质检',
  reports: '统计报表',
  knowledge: '知识库',
  users: '用户管理',
  audit: '审计日志',
  recordings: '录音回放',
  admin: '系统管理',
};

/** While the seat is away from the workbench, its tab says a call needs it. */
const CALL_BADGE: Partial<Record<string, string>> = { ringing: '来电', talking: '通话中', 'wrap-up': '整理中' };

function Tabs() {
  const user = useAppStore((s) => s.user);
  const route = useAppStore((s) => s.route);
  const navigate = useAppStore((s) => s.navigate);
  const seatKind = useAppStore((s) => s.seat?.state.kind ?? null);
  const badge = route !== 'seat' && seatKind ? CALL_BADGE[seatKind] : undefined;
  if (!user) return null;
  const routes = allowedRoutes(user.role);
  if (routes.length < 2) return <span className="app-title">{TAB_LABELS[route]}</span>;
  return (
    <nav className="tabs" aria-label="页面">
      {routes.map((r) => (
        <button
          key={r}
          className={r === route ? 'tab active' : 'tab'}
          aria-current={r === route ? 'page' : undefined}
          onClick={() => navigate(r)}
        >
          {TAB_LABELS[r]}
          {r === 'seat' && badge && <span className={`tab-badge tab-badge-${seatKind}`}>{badge}</span>}
        </button>
      ))}
    </nav>
  );
}

function UserInfo() {
  const user = useAppStore((s) => s.user);
  const seat = useAppStore((s) => s.seat);
  const reference = useAppStore((s) => s.reference);
  if (!user) return null;
  return (
    <div className="user-info">
      <span className="user-name">{seat?.name ?? user.displayName}</span>
      {seat ? (
        <>
          <span className="user-meta">工号 {seat.staffNo}</span>
          <span className="user-meta">{centreName(seat.centreId, reference)}</span>
        </>
      ) : (
        // The demo admin is called 系统管理员 too: the role is not said twice.
        ROLE_LABELS[user.role] !== user.displayName && <span className="user-meta">{ROLE_LABELS[user.role]}</span>
      )}
    </div>
  );
}

function LogoutButton() {
  const seatState = useAppStore((s) => s.seat?.state ?? null);
  const isSeat = useAppStore((s) => s.user?.role === 'seat');
  const summaryFiled = useAppStore(selectSummaryFiled);
  const [busy, setBusy] = useState(false);
  const summaryRequired = useAppStore((s) => s.reference?.summaryRequired ?? true);
  const allowed = !isSeat || seatActionsFor(seatState, { summaryFiled, summaryRequired }).logout;
  const why = seatState?.kind === 'wrap-up' ? '请先提交本次通话的小结再退出' : '通话中不能退出,请先结束通话';
  return (
    <button
      className="btn btn-ghost"
      disabled={busy || !allowed}
      title={allowed ? undefined : why}
      onClick={() => {
        setBusy(true);
        // Drafts the server already holds leave this (possibly shared) computer; unsent ones stay.
        summary.releaseSynced();
        void session.logout().finally(() => setBusy(false));
      }}
    >
      退出登录
    </button>
  );
}

export function AppHeader() {
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark">12348</span>
        <span className="brand-text">公共法律服务热线</span>
      </div>
      <Tabs />
      <div className="header-right">
        <UserInfo />
        <ChangePasswordButton />
        <LogoutButton />
      </div>
    </header>
  );
}
