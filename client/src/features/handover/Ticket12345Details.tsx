import { useEffect, useState } from 'react';
import type { Ticket12345View } from '../../contract';
import { handover } from '../../app/root';

/** The screen pop's 12345 ticket: what 12345 sent about the case (category, title, content). */
export function Ticket12345Details({ ticket }: { ticket: string }) {
  const [t, setT] = useState<Ticket12345View | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    void handover.ticket(ticket).then((ack) => {
      if (stop) return;
      if (ack.ok) setT(ack.data);
      else setMissing(ack.error.message);
    });
    return () => {
      stop = true;
    };
  }, [ticket]);
  if (missing) return <p className="muted">{missing}</p>;
  if (!t) return null;
  return (
    <div className="ticket-12345" aria-label="12345 工单内容">
      <p>
        <strong>{t.title || '(无标题)'}</strong> <span className="muted">{t.category}</span>
      </p>
      <p className="ticket-12345-content">{t.content}</p>
    </div>
  );
}
