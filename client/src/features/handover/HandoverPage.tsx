import { useEffect, useState } from 'react';
import {
  can,
  HANDOVER_DELIVERY_LABELS,
  HANDOVER_STATE_LABELS,
  type HandoverReport,
  type HandoverState,
  type HandoverView,
  type ReferralReport,
  type ReferralView,
  type StuckMessageView,
} from '../../contract';
import { useAppStore } from '../../app/store';
import { handover as controller } from '../../app/root';
import { centreName } from '../../shared/labels';
import { chinaDay, formatDateTime, formatDuration, fromChinaLocalInput, toChinaLocalInput } from '../../shared/format';
import { DateInput, DateTimeInput } from '../../shared/components/DateInput';
import type { HandoverPeriod } from './controller';

const DAY_MS = 86_400_000;
const dayStart = (day: string) => fromChinaLocalInput(`${day}T00:00`);

/** The period [from's 00:00, to's 24:00) in China time; an error sentence when it is not one. */
export function periodOf(from: string, to: string): { from: number; to: number } | string {
  const a = dayStart(from);
  const b = dayStart(to);
  if (a === null || b === null) return '请填写起止日期';
  if (b < a) return '结束日期不能早于起始日期';
  if (b - a > 366 * DAY_MS) return '查询范围最长一年';
  return { from: a, to: b + DAY_MS };
}

const DIRECTION_LABELS: Record<HandoverView['direction'], string> = { 'to-12345': '转出至12345', 'from-12345': '12345转入' };
const stateLabel = (s: string) => HANDOVER_STATE_LABELS[s as HandoverState] ?? s;

function ByState({ counts }: { counts: Record<string, number> }) {
  const entries = Object.entries(counts);
  if (entries.length === 0) return <span className="muted">—</span>;
  return <>{entries.map(([s, n]) => `${stateLabel(s)} ${n}`).join(' · ')}</>;
}

/** The period's hand-overs both ways and how their work orders were delivered (reports:read). */
function ReportPanel({ h, r }: { h: HandoverReport | null; r: ReferralReport | null }) {
  if (!h && !r) return null;
  return (
    <section className="panel" aria-label="转办统计">
      <h2 className="panel-title">转办转介统计</h2>
      {h && (
        <table className="data-table">
          <tbody>
            <tr>
              <th>转出至12345</th>
              <td>{h.to12345.total}</td>
              <td>
                <ByState counts={h.to12345.byState} />
              </td>
            </tr>
            <tr>
              <th>12345转入</th>
              <td>{h.from12345.total}</td>
              <td>
                <ByState counts={h.from12345.byState} />
              </td>
            </tr>
            <tr>
              <th>工单消息</th>
              <td>{h.messages.total}</td>
              <td>
                已送达 {h.messages.delivered} · 待送达 {h.messages.pending} · 被拒收 {h.messages.rejected} · 经重试 {h.messages.retried} ·
                送达耗时中位 {h.messages.delayMs.median === null ? '—' : formatDuration(h.messages.delayMs.median)} · 最长{' '}
                {h.messages.delayMs.max === null ? '—' : formatDuration(h.messages.delayMs.max)}
              </td>
            </tr>
            <tr>
              <th>未送达原因</th>
              <td>{Object.values(h.messages.failuresByCause).reduce((a, b) => a + b, 0)}</td>
              <td>
                {Object.entries(h.messages.failuresByCause)
                  .map(([c, n]) => `${c} ${n}`)
                  .join(' · ') || '—'}
              </td>
            </tr>
          </tbody>
        </table>
      )}
      {r && r.byOffice.length > 0 && (
        <table className="data-table" aria-label="转介单位统计">
          <thead>
            <tr>
              <th>受理单位</th>
              <th>办理中</th>
              <th>已办结</th>
              <th>逾期</th>
            </tr>
          </thead>
          <tbody>
            {r.byOffice.map((o) => (
              <tr key={`${o.office}|${o.kind}`}>
                <td>{o.office}</td>
                <td>{o.open}</td>
                <td>{o.closed}</td>
                <td>{o.overdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function StuckPanel({ stuck }: { stuck: readonly StuckMessageView[] }) {
  if (stuck.length === 0) return null;
  return (
    <section className="panel" aria-label="未送达的工单">
      <h2 className="panel-title">
        未送达的工单 <span className="count-pill">{stuck.length}</span>
      </h2>
      <ul className="stuck-list">
        {stuck.map((m) => (
          <li key={m.id} data-handover-id={m.handoverId ?? undefined}>
            {m.handoverId ?? `消息 ${m.id}`}:{m.state === 'rejected' ? '12345 拒收' : `已尝试 ${m.attempts} 次`}
            {m.lastError ? `(${m.lastError})` : ''}
            {m.nextAttemptAt !== null && m.state === 'pending' ? `,下次重试 ${formatDateTime(m.nextAttemptAt)}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

function HandoverTable({ rows }: { rows: readonly HandoverView[] }) {
  return (
    <section className="panel table-panel" aria-label="12345转办记录">
      <h2 className="panel-title">
        12345 转办记录 <span className="count-pill">{rows.length}</span>
      </h2>
      {rows.length === 0 ? (
        <p className="muted">所选时段没有转办记录</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>时间</th>
              <th>方向</th>
              <th>工单号</th>
              <th>坐席</th>
              <th>转接</th>
              <th>工单送达</th>
              <th>说明</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((h) => (
              <tr
                key={h.id}
                data-handover-id={h.id}
                className={h.delivery === 'failed' || h.delivery === 'retrying' ? 'row-overdue' : undefined}
              >
                <td>{formatDateTime(h.createdAt)}</td>
                <td>{DIRECTION_LABELS[h.direction]}</td>
                <td>{h.ticket ?? '—'}</td>
                <td>{h.seatId ?? '—'}</td>
                <td>
                  {HANDOVER_STATE_LABELS[h.state]}
                  {h.consulted && '(先咨询)'}
                </td>
                <td>{HANDOVER_DELIVERY_LABELS[h.delivery]}</td>
                <td>{[h.detail, h.lastError].filter(Boolean).join(';') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One referral: the bureau's due date, and closing it with the office's result. */
function ReferralRow({ r, onSaved }: { r: ReferralView; onSaved: (msg: string) => void }) {
  const reference = useAppStore((s) => s.reference);
  const [due, setDue] = useState(toChinaLocalInput(r.dueAt));
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<string | null>(null);
  const saveDue = async () => {
    const at = due ? fromChinaLocalInput(due) : null;
    if (due && at === null) return setError('请填写正确的期限');
    const res = await controller.setReferralDue(r.id, at);
    if (!res.ok) return setError(res.error.message);
    setError(null);
    onSaved('已保存办理期限');
  };
  const close = async () => {
    if (!outcome.trim()) return setError('请填写办理结果');
    const res = await controller.closeReferral(r.id, outcome.trim());
    if (!res.ok) return setError(res.error.message);
    setError(null);
    onSaved('转介已办结');
  };
  return (
    <tr data-referral-id={r.id} className={r.overdue ? 'row-overdue' : undefined}>
      <td>{formatDateTime(r.createdAt)}</td>
      <td>{r.kindLabel}</td>
      <td>
        {r.officeName}
        <span className="muted small"> · {centreName(r.centreId, reference)}</span>
      </td>
      <td>
        {r.channel === 'http' ? `接口 · ${r.delivery ? HANDOVER_DELIVERY_LABELS[r.delivery] : '—'}` : '转介单'}
        {r.channel === 'form' && (
          <a className="btn btn-small" href={`/api/referrals/${encodeURIComponent(r.id)}/form`} target="_blank" rel="noreferrer">
            打印转介单
          </a>
        )}
      </td>
      <td>
        {r.state === 'open' ? (
          <span className="inline-edit">
            <DateTimeInput value={due} onChange={setDue} aria-label="办理期限" />
            <button type="button" className="btn btn-small" onClick={() => void saveDue()}>
              保存期限
            </button>
          </span>
        ) : r.dueAt !== null ? (
          formatDateTime(r.dueAt)
        ) : (
          '—'
        )}
        {r.overdue && <span className="badge badge-risk">已逾期</span>}
      </td>
      <td>
        {r.state === 'closed' ? (
          <span>已办结:{r.outcome}</span>
        ) : (
          <span className="inline-edit">
            <input
              aria-label="办理结果"
              className="input-small"
              maxLength={200}
              value={outcome}
              onChange={(e) => setOutcome(e.target.value)}
            />
            <button type="button" className="btn btn-small" onClick={() => void close()}>
              办结
            </button>
          </span>
        )}
        {error && <p className="form-error">{error}</p>}
      </td>
    </tr>
  );
}

function ReferralTable({ list, onSaved }: { list: NonNullable<HandoverPeriod['referrals']>; onSaved: (msg: string) => void }) {
  // The overdue ones first (also those created before the period), then the period's others.
  const seen = new Set(list.overdue.map((r) => r.id));
  const rows = [...list.overdue, ...list.referrals.filter((r) => !seen.has(r.id))];
  return (
    <section className="panel table-panel" aria-label="转介记录">
      <h2 className="panel-title">
        转介记录 <span className="count-pill">{rows.length}</span>
        {list.overdue.length > 0 && <span className="badge badge-risk">逾期 {list.overdue.length}</span>}
      </h2>
      {rows.length === 0 ? (
        <p className="muted">所选时段没有转介</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>时间</th>
              <th>转介类别</th>
              <th>受理单位</th>
              <th>送达方式</th>
              <th>办理期限</th>
              <th>办理结果</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <ReferralRow key={`${r.id}:${r.state}:${r.dueAt ?? ''}`} r={r} onSaved={onSaved} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * 转办转介: the 12345 hand-overs both ways (with the work orders' delivery and the stuck ones)
 * and the onward referrals with their due dates, for a chosen period; the counts for those who
 * read reports. Supervisors see their centres only (the server scopes every list).
 */
export function HandoverPage() {
  const user = useAppStore((s) => s.user);
  const withReports = user ? can(user.role, 'reports:read') : false;
  const today = chinaDay(Date.now());
  const [from, setFrom] = useState(chinaDay(Date.now() - 6 * DAY_MS));
  const [to, setTo] = useState(today);
  // A new object on every 查询 or save, so the same dates load again.
  const [range, setRange] = useState(() => periodOf(from, to) as { from: number; to: number });
  const [data, setData] = useState<HandoverPeriod | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void controller.period(range, withReports).then((d) => live && setData(d));
    return () => {
      live = false;
    };
  }, [range, withReports]);
  const query = () => {
    const p = periodOf(from, to);
    if (typeof p === 'string') return setError(p);
    setError(null);
    setNotice(null);
    setRange(p);
  };
  const saved = (msg: string) => {
    setNotice(msg);
    setRange({ ...range });
  };
  return (
    <div className="handover-page">
      <section className="panel filter-bar" aria-label="查询条件">
        <label>
          起始日期 <DateInput value={from} onChange={setFrom} />
        </label>
        <label>
          结束日期 <DateInput value={to} onChange={setTo} />
        </label>
        <button type="button" className="btn btn-primary" onClick={query}>
          查询
        </button>
        {error && <p className="form-error">{error}</p>}
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
      </section>
      {data?.errors.map((e) => (
        <p key={e} className="alert alert-error">
          {e}
        </p>
      ))}
      {!data && <p className="muted">正在加载转办与转介…</p>}
      {data && (
        <>
          <ReportPanel h={data.handoverReport} r={data.referralReport} />
          <StuckPanel stuck={data.handovers?.stuck ?? []} />
          {data.handovers && <HandoverTable rows={data.handovers.handovers} />}
          {data.referrals && <ReferralTable list={data.referrals} onSaved={saved} />}
        </>
      )}
    </div>
  );
}
