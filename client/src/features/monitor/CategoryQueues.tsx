import { categoryName } from '../../shared/labels';
import { formatElapsed } from '../../shared/format';
import { useServerNow } from '../../shared/ticker';
import { useAppStore } from '../../app/store';
import { categoryQueues } from './wall-selectors';

/** The queue per category at a glance: how many wait and the longest wait of each. */
export function CategoryQueues() {
  const snapshot = useAppStore((s) => s.snapshot);
  const reference = useAppStore((s) => s.reference);
  const now = useServerNow();
  const target = (snapshot?.service.answerTargetS ?? 15) * 1000;
  const queues = categoryQueues(snapshot);
  if (queues.length === 0) return null;
  return (
    <ul className="category-queues" aria-label="各专业排队">
      {queues.map((q) => (
        <li key={q.categoryId} className={now - q.oldestAt > target ? 'cq cq-late' : 'cq'}>
          <span className="cq-name">{categoryName(q.categoryId, reference)}</span>
          <b className="cq-count">{q.waiting}</b>
          <span className="cq-wait mono">最长 {formatElapsed(q.oldestAt, now)}</span>
        </li>
      ))}
    </ul>
  );
}
