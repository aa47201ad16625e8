import { useEffect, useState } from 'react';
import type { Ticket12345View } from '../../contract';
import { handover } from '../../app/root';

/** How often the screen pop asks again for a ticket 12345 has not sent yet (its webhook may follow the call). */
export const TICKET_RETRY_MS = 3000;

/** The screen pop's 12345 ticket: what 12345 sent about the case (category, title, content). */
export function Ticket12345Details({ ticket }: { ticket: string }) {
  const [t, setT] = useState<Ticket12345View | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setT(null);
    setMissing(null);
    const load = () =>
      void handover.ticket(ticket).then((ack) => {
        if (stop) return;
        if (ack.ok) {
          setT(ack.data);
          setMissing(null);
          return;
        }
        // Not pushed yet (or 12345 unreachable): say so, and look again while the call is shown.
        setMissing(ack.error.message);
        timer = setTimeout(load, TICKET_RETRY_MS);
      });
    load();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [ticket]);
  if (t) {
    return (
      <div className="ticket-12345" aria-label="12345 工单内容">
        <p>
          <strong>{t.title || '(无标题)'}</strong> <span className="muted">{t.category}</span>
        </p>
        <p className="ticket-12345-content">{t.content}</p>
      </div>
    );
  }
  return missing ? <p className="muted">{missing}</p> : null;
}
