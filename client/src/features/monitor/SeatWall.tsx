import { useCallback, useEffect, useState, type CSSProperties } from 'react';
import type { QueueSnapshot, ReferenceData, SeatWallView } from '../../contract';
import {
  categoryName,
  centreName,
  reasonLabel,
  SEAT_STATE_LABELS,
  SELECTABLE_NOT_READY_REASONS,
  type SeatStateKind,
  type SelectableNotReadyReason,
} from '../../shared/labels';
import { errorMessage } from '../../shared/errors';
import { formatElapsed } from '../../shared/format';
import { useServerNow } from '../../shared/ticker';
import { useAppStore } from '../../app/store';
import { supervision } from './supervision';
import { listenPhone, useListen } from './listen-phone';
import { skillList } from './selectors';
import { densityOf, tinyColumns, wallDensity, type WallDensity } from './wall-density';
import { currentCall, filteredSeats, NO_FILTER, shortCategoryName, wrapUpOverdue, type SeatFilter } from './wall-selectors';

const STATES: SeatStateKind[] = ['ready', 'ringing', 'talking', 'wrap-up', 'not-ready', 'offline'];

function Filters({
  filter,
  onChange,
  reference,
}: {
  filter: SeatFilter;
  onChange: (f: SeatFilter) => void;
  reference: ReferenceData | null;
}) {
  return (
    <div className="wall-filters" role="group" aria-label="筛选坐席">
      <label>
        中心
        <select value={filter.centreId} onChange={(e) => onChange({ ...filter, centreId: e.target.value })}>
          <option value="">全部</option>
          {(reference?.centres ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        专业
        <select value={filter.specialty} onChange={(e) => onChange({ ...filter, specialty: e.target.value })}>
          <option value="">全部</option>
          {(reference?.categories ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        状态
        <select value={filter.state} onChange={(e) => onChange({ ...filter, state: e.target.value as SeatFilter['state'] })}>
          <option value="">全部</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {SEAT_STATE_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

type Mode = null | 'not-ready' | 'offline' | 'message' | 'release' | 'listen';

/** 示忙 / 签出 / 强拆 / 监听 (with a required reason) and 发消息 for one seat. */
function SeatActions({ seat, onClose }: { seat: SeatWallView; onClose: () => void }) {
  const [mode, setMode] = useState<Mode>(null);
  const [reason, setReason] = useState<SelectableNotReadyReason>('meeting');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  // 正在监听 follows the page's listening phone (it ends with the call, 停止监听 or another page),
  // not the answer to 开始监听 alone.
  const listen = useListen();
  const listening = (listen.status === 'listening' || listen.status === 'elsewhere') && listen.seatId === seat.id;
  /** The call 强拆 or 监听 was opened for: never the seat's next call, should that one end meanwhile. */
  const [forCall, setForCall] = useState<string | null>(null);
  const talkingCall = seat.state.kind === 'talking' ? seat.state.callId : null;
  const choose = (m: Mode) => {
    setMode(m);
    setForCall(talkingCall);
    setResult(null);
  };
  const submit = async () => {
    if (!mode) return;
    if ((mode === 'release' || mode === 'listen') && (!forCall || forCall !== talkingCall)) {
      setResult({ ok: false, text: `该坐席的那通电话已结束,未${mode === 'release' ? '强拆' : '监听'}` });
      setMode(null);
      return;
    }
    setBusy(true);
    setResult(null);
    const callId = forCall;
    const ack =
      mode === 'message'
        ? await supervision.message({ to: { kind: 'seat', seatId: seat.id }, text })
        : mode === 'listen'
          ? callId
            ? await listenPhone(supervision).start(callId, seat.id, text)
            : { ok: false as const, error: { code: 'CONFLICT' as const, message: '该坐席当前没有通话' } }
          : mode === 'release'
            ? callId
              ? await supervision.forceRelease(callId, text)
              : { ok: false as const, error: { code: 'CONFLICT' as const, message: '该坐席当前没有通话' } }
            : await supervision.seatStatus(
                seat.id,
                mode === 'offline' ? { status: 'offline', note: text } : { status: 'not-ready', reason, note: text },
              );
    setBusy(false);
    if (ack.ok) {
      setResult(mode === 'listen' ? null : { ok: true, text: mode === 'message' ? '消息已发送' : '已执行' });
      setMode(null);
      setText('');
    } else setResult({ ok: false, text: errorMessage(ack.error) });
  };
  return (
    <div className="seat-actions" role="dialog" aria-label={`干预坐席 ${seat.name}`}>
      <div className="seat-actions-buttons">
        <button type="button" className="btn" onClick={() => choose('not-ready')} disabled={seat.state.kind === 'offline'}>
          置为示忙
        </button>
        <button type="button" className="btn" onClick={() => choose('offline')} disabled={seat.state.kind === 'offline'}>
          签出
        </button>
        <button type="button" className="btn" onClick={() => choose('message')}>
          发消息
        </button>
        <button type="button" className="btn btn-danger" onClick={() => choose('release')} disabled={seat.state.kind !== 'talking'}>
          强拆
        </button>
        <button type="button" className="btn" onClick={() => choose('listen')} disabled={seat.state.kind !== 'talking'}>
          监听
        </button>
        <button type="button" className="link" onClick={onClose}>
          关闭
        </button>
      </div>
      {mode && (
        <form
          className="seat-actions-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {mode === 'not-ready' && (
            <label>
              示忙原因
              <select value={reason} onChange={(e) => setReason(e.target.value as SelectableNotReadyReason)}>
                {SELECTABLE_NOT_READY_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {reasonLabel(r, null)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {mode === 'message' ? '消息内容' : '说明(必填,记入审计日志)'}
            <input value={text} onChange={(e) => setText(e.target.value)} maxLength={mode === 'message' ? 300 : 200} />
          </label>
          <button type="submit" className={mode === 'release' ? 'btn btn-danger' : 'btn btn-primary'} disabled={busy}>
            {mode === 'message'
              ? '发送'
              : mode === 'offline'
                ? '确认签出'
                : mode === 'release'
                  ? '确认强拆(结束该通话)'
                  : mode === 'listen'
                    ? '开始监听(对方听不到您)'
                    : '确认示忙'}
          </button>
        </form>
      )}
      {listening && (
        <p role="status" className="ok-note">
          正在监听
        </p>
      )}
      {result && (
        <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'ok-note' : 'alert alert-error inline-error'}>
          {result.text}
        </p>
      )}
    </div>
  );
}

function SeatCard({
  seat,
  snapshot,
  reference,
  now,
  density,
  open,
  onToggle,
}: {
  seat: SeatWallView;
  snapshot: QueueSnapshot | null;
  reference: ReferenceData | null;
  now: number;
  density: WallDensity;
  open: boolean;
  onToggle: () => void;
}) {
  const st = seat.state;
  const call = currentCall(snapshot, seat);
  const overdue = wrapUpOverdue(seat, now);
  const category = call ? categoryName(call.categoryId, reference) : '';
  const skills = skillList(seat.skills)
    .slice(0, 3)
    .map((s) => `${categoryName(s.id, reference)}${s.level}`)
    .join(' ');
  return (
    <li className={`seat-card seat-${st.kind}${overdue ? ' seat-overdue' : ''}`} data-seat-id={seat.id}>
      <button
        type="button"
        className="seat-card-main"
        onClick={onToggle}
        aria-expanded={open}
        aria-label={`${seat.name} ${SEAT_STATE_LABELS[st.kind]}`}
        title={[seat.name, SEAT_STATE_LABELS[st.kind], category].join(' ').trim()}
      >
        <div className="seat-card-head">
          <b className="seat-name">{seat.name}</b>
          <span className="mono seat-time">{formatElapsed(st.since, now)}</span>
        </div>
        <div className="seat-card-state">
          <span className="seat-state-label">
            {SEAT_STATE_LABELS[st.kind]}
            <span className="seat-state-more">
              {st.kind === 'not-ready' && ` · ${reasonLabel(st.reason, reference)}`}
              {overdue && ' · 超时未完成'}
            </span>
          </span>
          {!seat.registered && (st.kind === 'ready' || st.kind === 'ringing') && <span className="warn-note">话机未注册</span>}
          {call && (
            // the call's duration is the time in state beside the name; a one-line card has room
            // for the category's short name only (the whole name is in the card's title)
            <span className="seat-card-call">{density === 'tiny' ? shortCategoryName(category) : category}</span>
          )}
        </div>
        <div className="seat-card-foot small muted">
          <span className="seat-card-where" title={centreName(seat.centreId, reference)}>
            {seat.staffNo} · {centreName(seat.centreId, reference)}
          </span>
          <span>今日接听 {seat.answeredToday ?? 0}</span>
          <span>未接 {seat.missedToday ?? 0}</span>
        </div>
        <div className="seat-card-skills small muted ellipsis" title={skills}>
          {skills}
        </div>
      </button>
      {open && <SeatActions seat={seat} onClose={onToggle} />}
    </li>
  );
}

/** The element's inner box, followed as it resizes (null until laid out, or without ResizeObserver). */
function useBox<T extends HTMLElement>(): [{ width: number; height: number } | null, (el: T | null) => void] {
  const [el, setEl] = useState<T | null>(null);
  const [box, setBox] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = () =>
      setBox((b) =>
        b && b.width === el.clientWidth && b.height === el.clientHeight ? b : { width: el.clientWidth, height: el.clientHeight },
      );
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [box, useCallback((e: T | null) => setEl(e), [])];
}

/** 坐席墙: every seat in scope as a card, filtered by centre, specialty and state; a card opens its actions. */
export function SeatWall() {
  const snapshot = useAppStore((s) => s.snapshot);
  const reference = useAppStore((s) => s.reference);
  const now = useServerNow();
  const [filter, setFilter] = useState<SeatFilter>(NO_FILTER);
  const [open, setOpen] = useState<string | null>(null);
  const seats = filteredSeats(snapshot, filter);
  const [box, cardsRef] = useBox<HTMLUListElement>();
  const density = wallDensity(seats.length, box);
  const size = densityOf(density);
  return (
    <section className="panel seat-wall" aria-label="坐席状态">
      <div className="seat-wall-head">
        <h2 className="panel-title">
          坐席状态 <span className="count-pill">{seats.length}</span>
        </h2>
        <Filters filter={filter} onChange={setFilter} reference={reference} />
      </div>
      {seats.length === 0 ? (
        <p className="empty">暂无坐席</p>
      ) : (
        <ul
          ref={cardsRef}
          className={`seat-cards seat-cards-${density}`}
          data-density={density}
          style={
            {
              gridTemplateColumns:
                density === 'tiny' && box
                  ? `repeat(${tinyColumns(seats.length, box)}, minmax(0, 1fr))`
                  : `repeat(auto-fill, minmax(${size.minWidth}px, 1fr))`,
              // a card's least height (an opened card grows to hold its actions)
              '--card-h': `${size.height}px`,
            } as CSSProperties
          }
        >
          {seats.map((s) => (
            <SeatCard
              key={s.id}
              seat={s}
              snapshot={snapshot}
              reference={reference}
              now={now}
              density={density}
              open={open === s.id}
              onToggle={() => setOpen(open === s.id ? null : s.id)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
