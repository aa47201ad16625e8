import { useEffect, useState } from 'react';
import {
  HUNG_UP_BY_LABELS,
  OVERFLOW_TRIGGER_LABELS,
  type HangupSide,
  type OverflowTrigger,
  type QueueCallView,
  type QueueSnapshot,
  type ReferenceData,
} from '../../contract';
import { categoryName, centreName, callStateLabel } from '../../shared/labels';
import { errorMessage } from '../../shared/errors';
import { formatClock, formatElapsed } from '../../shared/format';
import { useServerNow } from '../../shared/ticker';
import { FlagBadges } from '../../shared/components/FlagBadges';
import { useAppStore } from '../../app/store';
import { supervision, type CallDetail as Detail, type CallHistoryEvent } from './supervision';
import { readySeats, ruleLabel, seatName, stepLabel } from './wall-selectors';

const EVENT_LABELS: Record<string, string> = {
  enqueued: '进入排队',
  offered: '分配振铃',
  'ring-timeout': '振铃未接',
  declined: '坐席拒接',
  answered: '接听',
  held: '保持',
  resumed: '恢复通话',
  'hung-up': '挂机',
  'wrap-up-ended': '话后整理结束',
  'summary-filed': '提交小结',
  expanded: '扩展分配范围',
  'shared-to-city': '转市中心承接',
  abandoned: '来电人放弃',
  overflowed: '溢出',
  'timed-out': '超时',
  recategorized: '改专业类别',
  'transferred-in': '转接来电',
  'transfer-fallback': '指定坐席未接,回到队列',
};

/** Where an overflowing call went (the `overflowed` event's target). */
const OVERFLOW_TARGET_LABELS: Record<string, string> = { '12345': '转12345', callback: '转回电请求' };

function EventLine({ e, snapshot, reference }: { e: CallHistoryEvent; snapshot: QueueSnapshot | null; reference: ReferenceData | null }) {
  const who = e.seatId ? seatName(snapshot, e.seatId) : null;
  let detail: string | null = null;
  if (e.type === 'offered' && e.why) {
    const w = e.why;
    const alts = w.alternatives.map((a) => seatName(snapshot, a) ?? a);
    detail = [
      ruleLabel(w.rule),
      `扩展:${stepLabel(w.step)}`,
      w.proficiency !== null ? `熟练度 ${w.proficiency}` : null,
      `比较 ${w.considered} 个`,
      alts.length > 0 ? `次选:${alts.join('、')}` : null,
      w.reoffer ? '再次分配' : null,
    ]
      .filter(Boolean)
      .join(' · ');
  } else if (e.type === 'expanded' && typeof e.step === 'number') detail = stepLabel(e.step);
  else if (e.type === 'recategorized' && typeof e.categoryId === 'string') detail = categoryName(e.categoryId, reference);
  else if (e.type === 'enqueued' && typeof e.priority === 'number') detail = `优先级 ${e.priority}`;
  // who ended it (班长强拆 included), and where an overflow sent the caller (12345, a call-back) and why
  else if (e.type === 'hung-up' && typeof e.by === 'string') detail = HUNG_UP_BY_LABELS[e.by as HangupSide] ?? null;
  else if (e.type === 'overflowed' && typeof e.target === 'string') {
    const trigger = typeof e.trigger === 'string' ? (OVERFLOW_TRIGGER_LABELS[e.trigger as OverflowTrigger] ?? null) : null;
    detail = [OVERFLOW_TARGET_LABELS[e.target] ?? e.target, trigger].filter(Boolean).join(' · ');
  }
  return (
    <li className="call-event">
      <span className="mono muted">{formatClock(e.at)}</span>
      <b>{EVENT_LABELS[e.type] ?? e.type}</b>
      {who && <span>{who}</span>}
      {detail && <span className="muted small">{detail}</span>}
    </li>
  );
}

type Pending = null | 'priority' | 'category' | 'assign';

/** Supervisor actions on a waiting call: priority, category, a chosen ready seat (each audited). */
function CallActions({
  call,
  snapshot,
  reference,
  onDone,
}: {
  call: QueueCallView;
  snapshot: QueueSnapshot | null;
  reference: ReferenceData | null;
  onDone: () => void;
}) {
  const [priority, setPriority] = useState(String(call.priority));
  const [category, setCategory] = useState(call.categoryId);
  const [seat, setSeat] = useState('');
  const [note, setNote] = useState('');
  const [pending, setPending] = useState<Pending>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const ready = readySeats(snapshot);
  const run = async (what: Exclude<Pending, null>, send: () => ReturnType<typeof supervision.priority>, done: string) => {
    setPending(what);
    setMessage(null);
    const ack = await send();
    setPending(null);
    setMessage(ack.ok ? { ok: true, text: done } : { ok: false, text: errorMessage(ack.error) });
    if (ack.ok) onDone();
  };
  if (call.state.kind !== 'queued' && call.state.kind !== 'ringing') return null;
  return (
    <form className="call-actions" onSubmit={(e) => e.preventDefault()} aria-label="干预来电">
      <label>
        原因(记入审计日志)
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} placeholder="选填" />
      </label>
      <div className="call-action-row">
        <label>
          优先级
          <input type="number" min={0} max={100} value={priority} onChange={(e) => setPriority(e.target.value)} />
        </label>
        <button
          type="button"
          className="btn"
          disabled={pending !== null}
          onClick={() => {
            // an emptied field (or letters: a number input then reads '') is not priority 0
            if (priority.trim() === '') setMessage({ ok: false, text: '请填写优先级(0–100 的整数)' });
            else void run('priority', () => supervision.priority(call.id, Number(priority), note), '优先级已调整');
          }}
        >
          调整优先级
        </button>
      </div>
      <div className="call-action-row">
        <label>
          专业类别
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            {(reference?.categories ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn"
          disabled={pending !== null || category === call.categoryId}
          onClick={() => void run('category', () => supervision.category(call.id, category, note), '已改专业类别')}
        >
          改类别
        </button>
      </div>
      <div className="call-action-row">
        <label>
          指派坐席
          <select value={seat} onChange={(e) => setSeat(e.target.value)}>
            <option value="">{ready.length === 0 ? '暂无就绪坐席' : '选择就绪坐席'}</option>
            {ready.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}({s.staffNo})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn btn-primary"
          disabled={pending !== null || !seat}
          onClick={() => void run('assign', () => supervision.assign(call.id, seat, note), `已指派给 ${seatName(snapshot, seat)}`)}
        >
          指派
        </button>
      </div>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok-note' : 'alert alert-error inline-error'}>
          {message.text}
        </p>
      )}
    </form>
  );
}

/** A call opened from the live queue: its state, its history with the engine's reasons, and the actions. */
export function CallDetailPanel({ callId, onClose }: { callId: string; onClose: () => void }) {
  const snapshot = useAppStore((s) => s.snapshot);
  const reference = useAppStore((s) => s.reference);
  const now = useServerNow();
  const live = snapshot?.calls.find((c) => c.id === callId) ?? null;
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Reload the history whenever the live call changes (a new offer, a step reached).
  const version = live ? `${live.state.kind}:${live.offers}:${live.step ?? 0}:${live.categoryId}:${live.priority}` : 'gone';
  useEffect(() => {
    let current = true;
    void supervision.callDetail(callId).then((ack) => {
      if (!current) return;
      if (ack.ok) {
        setDetail(ack.data);
        setError(null);
      } else setError(errorMessage(ack.error));
    });
    return () => {
      current = false;
    };
  }, [callId, version]);
  const call = live;
  return (
    <aside className="panel call-detail" aria-label="来电详情">
      <div className="call-detail-head">
        <h2 className="panel-title">来电详情</h2>
        <button type="button" className="link" onClick={onClose}>
          关闭
        </button>
      </div>
      {call ? (
        <dl className="call-facts">
          <dt>号码</dt>
          <dd className="mono">{call.callerMasked}</dd>
          <dt>类别</dt>
          <dd>{categoryName(call.categoryId, reference)}</dd>
          <dt>中心</dt>
          <dd>{centreName(call.homeCentreId, reference)}</dd>
          <dt>标记</dt>
          <dd>
            <FlagBadges flags={call.flags} />
          </dd>
          <dt>状态</dt>
          <dd>
            {callStateLabel(call.state.kind)} · 等待 {formatElapsed(call.enqueuedAt, now)} · {stepLabel(call.step)}
          </dd>
        </dl>
      ) : (
        <p className="muted">该来电已不在排队或通话中。</p>
      )}
      {call && <CallActions key={call.id} call={call} snapshot={snapshot} reference={reference} onDone={() => undefined} />}
      <h3 className="call-detail-sub">经过与分配理由</h3>
      {error && <p className="alert alert-error">{error}</p>}
      <ol className="call-events">
        {(detail?.events ?? []).map((e, i) => (
          <EventLine key={i} e={e} snapshot={snapshot} reference={reference} />
        ))}
      </ol>
    </aside>
  );
}
