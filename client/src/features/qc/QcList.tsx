import { QC_REASON_LABELS, QC_STATUS_LABELS, type QcItemView } from '../../contract';
import { useAppStore } from '../../app/store';
import { categoryName } from '../../shared/labels';
import { formatDateTime } from '../../shared/format';

/** The rows of a 质检 list: the call's time, seat, category, why it is listed, its state and score. */
export function QcList({
  items,
  selected,
  onOpen,
  showSeat,
}: {
  items: readonly QcItemView[];
  selected: string | null;
  onOpen: (callId: string) => void;
  showSeat: boolean;
}) {
  const reference = useAppStore((s) => s.reference);
  return (
    <table className="grid qc-list">
      <thead>
        <tr>
          <th>来电时间</th>
          {showSeat && <th>坐席</th>}
          <th>类别</th>
          <th>入选原因</th>
          <th>状态</th>
          <th>得分</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.callId} className={i.callId === selected ? 'row-selected' : undefined}>
            <td>
              <button
                type="button"
                className="link-button"
                onClick={() => onOpen(i.callId)}
                aria-label={`查看 ${formatDateTime(i.enqueuedAt)} 的来电`}
              >
                {formatDateTime(i.enqueuedAt)}
              </button>
            </td>
            {showSeat && <td>{i.seatName ?? '—'}</td>}
            <td>{categoryName(i.categoryId, reference)}</td>
            <td>
              {i.reasons.map((r) => (
                <span key={r} className={r === 'sample' ? 'badge' : 'badge badge-risk'}>
                  {QC_REASON_LABELS[r]}
                </span>
              ))}
            </td>
            <td>{QC_STATUS_LABELS[i.status]}</td>
            <td>{i.total ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
