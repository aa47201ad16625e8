import { useState } from 'react';
import { errorMessage } from '../../shared/errors';
import { useAppStore } from '../../app/store';
import { supervision } from './supervision';

/** 发消息: to every seat in scope or to one centre's seats (one seat: from its card). */
export function MessageComposer() {
  const reference = useAppStore((s) => s.reference);
  const snapshot = useAppStore((s) => s.snapshot);
  // The centres whose seats the wall shows: a county supervisor is offered only its own.
  const inScope = new Set((snapshot?.seats ?? []).map((s) => s.centreId));
  const centres = (reference?.centres ?? []).filter((c) => snapshot === null || inScope.has(c.id));
  const [to, setTo] = useState('all');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const send = async () => {
    setBusy(true);
    setResult(null);
    const ack = await supervision.message({ to: to === 'all' ? { kind: 'all' } : { kind: 'centre', centreId: to }, text });
    setBusy(false);
    if (ack.ok) {
      setText('');
      setResult({ ok: true, text: `已发送给 ${ack.data.recipients} 个坐席` });
    } else setResult({ ok: false, text: errorMessage(ack.error) });
  };
  return (
    <form
      className="message-composer"
      aria-label="发消息给坐席"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <select aria-label="发送对象" value={to} onChange={(e) => setTo(e.target.value)}>
        <option value="all">全部坐席</option>
        {centres.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <input aria-label="消息内容" value={text} onChange={(e) => setText(e.target.value)} maxLength={300} placeholder="发给坐席的消息" />
      <button type="submit" className="btn" disabled={busy || text.trim() === ''}>
        发送
      </button>
      {result && (
        <span role={result.ok ? 'status' : 'alert'} className={result.ok ? 'ok-note small' : 'error-note small'}>
          {result.text}
        </span>
      )}
    </form>
  );
}
