import { useEffect, useState } from 'react';
import { HANDOVER_DELIVERY_LABELS, HANDOVER_STATE_LABELS, type HandoverView } from '../../contract';
import { handover } from '../../app/root';
import { handoverSentence } from './controller';

const POLL_MS = 2000;
const settled = (h: HandoverView) => h.state !== 'pending' && (h.delivery === 'accepted' || h.delivery === 'failed');

/**
 * 转12345's state for the seat: whether the caller reached 12345, whether 12345 has the work
 * order (sent, accepted, failed and why); after a transfer that did not connect, 预约12345回电.
 */
export function Handover12345Status({ id }: { id: string }) {
  const [h, setH] = useState<HandoverView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [booked, setBooked] = useState(false);

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const ack = await handover.load(id);
      if (stop) return;
      if (ack.ok) {
        setH(ack.data);
        setError(null);
        if (settled(ack.data)) return;
      } else setError(ack.error.message);
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [id, booked]);

  const book = async () => {
    const ack = await handover.bookCallback(id);
    if (ack.ok) {
      setH(ack.data);
      setBooked(true);
    } else setError(ack.error.message);
  };

  return (
    <div className="handover-status" role="status" aria-label="转12345状态">
      {h ? (
        <p>{handoverSentence(h, { state: HANDOVER_STATE_LABELS, delivery: HANDOVER_DELIVERY_LABELS })}</p>
      ) : (
        <p className="muted">正在读取转12345状态…</p>
      )}
      {error && <p className="alert alert-error">{error}</p>}
      {h?.state === 'not-connected' && (
        <button className="btn btn-ghost" disabled={booked || h.callbackRequested === true} onClick={() => void book()}>
          {booked || h.callbackRequested === true ? '已预约12345回电' : '预约12345回电'}
        </button>
      )}
    </div>
  );
}
