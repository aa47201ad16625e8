import { useEffect } from 'react';
import { useAppStore } from '../../app/store';
import { categoryName } from '../../shared/labels';
import { listenPhone, useListen } from './listen-phone';
import { supervision } from './supervision';
import { seatName } from './wall-selectors';

/** 监听: what the page's listening phone is doing, with 停止监听; the phone closes with the page. */
export function ListenBar() {
  const listen = useListen();
  const snapshot = useAppStore((s) => s.snapshot);
  const reference = useAppStore((s) => s.reference);
  const online = useAppStore((s) => s.connection === 'online');
  useEffect(() => () => listenPhone(supervision).shutdown(), []);
  // Opened, reloaded or reconnected: the supervisor's leg may be on another page (or this page before a reload).
  useEffect(() => {
    if (online) void listenPhone(supervision).refresh();
  }, [online]);
  const gone =
    listen.status === 'listening' && snapshot !== null && snapshot.calls.find((c) => c.id === listen.callId)?.state.kind !== 'talking';
  useEffect(() => {
    if (gone) listenPhone(supervision).callGone();
  }, [gone]);
  if (listen.status === 'idle' && !listen.note) return null;
  const call = listen.callId ? (snapshot?.calls.find((c) => c.id === listen.callId) ?? null) : null;
  const who = listen.seatId ? seatName(snapshot, listen.seatId) : '';
  return (
    <section className="listen-bar panel" aria-label="监听" data-listen={listen.status}>
      {listen.status === 'starting' && <span role="status">正在接通监听…</span>}
      {listen.status === 'listening' && (
        <>
          <span role="status">
            <b>监听中</b> · {who}
            {call ? ` · ${categoryName(call.categoryId, reference)} · ${call.callerMasked}` : ''} · 对方听不到您
          </span>
          <button type="button" className="btn btn-danger" onClick={() => void listenPhone(supervision).stop()}>
            停止监听
          </button>
        </>
      )}
      {listen.status === 'elsewhere' && (
        <>
          <span role="status">
            <b>监听中(另一个页面)</b> · {who}
            {call ? ` · ${categoryName(call.categoryId, reference)} · ${call.callerMasked}` : ''} · 声音在那个页面播放
          </span>
          <button type="button" className="btn btn-danger" onClick={() => void listenPhone(supervision).stopElsewhere()}>
            停止监听
          </button>
          {listen.note && (
            <span role="alert" className="alert alert-error inline-error">
              {listen.note}
            </span>
          )}
        </>
      )}
      {listen.status === 'idle' && listen.note && (
        <span role={listen.noteIsError ? 'alert' : 'status'} className={listen.noteIsError ? 'alert alert-error inline-error' : 'muted'}>
          {listen.note}
        </span>
      )}
    </section>
  );
}
