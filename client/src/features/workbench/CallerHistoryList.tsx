import { CALL_RESULT_LABELS, DISPOSITION_LABELS, type CallerHistoryEntry, type ReferenceData } from '../../contract';
import { categoryName } from '../../shared/labels';
import { useAppStore } from '../../app/store';
import { formatDateTime } from '../../shared/format';
import { summary as controller } from '../../app/root';

const EXCERPT = 160;
const excerpt = (text: string) => (text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text);

function resultLabel(entry: CallerHistoryEntry): string {
  return entry.summary ? DISPOSITION_LABELS[entry.summary.disposition] : CALL_RESULT_LABELS[entry.record.result];
}

function HistoryItem({ entry, reference }: { entry: CallerHistoryEntry; reference: ReferenceData | null }) {
  const s = entry.summary;
  const category = categoryName(s?.categoryId ?? entry.record.categoryId, reference);
  return (
    <li className="history-item">
      <details>
        <summary>
          <span className="history-when mono">{formatDateTime(entry.record.enqueuedAt)}</span>
          <span className="history-cat">{category}</span>
          <span className="history-result">{resultLabel(entry)}</span>
          {s?.riskFlag && <span className="badge badge-risk">重大事项</span>}
          <span className="history-topic">{s?.topic || (s ? '' : '无小结')}</span>
        </summary>
        {s ? (
          <dl className="history-detail">
            {s.question && (
              <>
                <dt>来电问题</dt>
                <dd>{excerpt(s.question)}</dd>
              </>
            )}
            {s.answer && (
              <>
                <dt>解答内容</dt>
                <dd>{excerpt(s.answer)}</dd>
              </>
            )}
            {s.referral && (
              <>
                <dt>转介去向</dt>
                <dd>{s.referral}</dd>
              </>
            )}
            <dt>接听坐席</dt>
            <dd>{s.seatName}</dd>
          </dl>
        ) : (
          <p className="muted small">这次来电没有小结({CALL_RESULT_LABELS[entry.record.result]})。</p>
        )}
      </details>
    </li>
  );
}

/** The caller's earlier calls (历史来电) with their summaries, newest first, each expandable. */
export function CallerHistoryList({ callId }: { callId: string }) {
  const history = useAppStore((s) => (s.callerHistory?.callId === callId ? s.callerHistory : null));
  const reference = useAppStore((s) => s.reference);
  if (!history || history.status === 'loading') {
    return (
      <div className="history" aria-busy="true">
        <h3 className="history-title">历史来电</h3>
        <p className="muted small">正在读取…</p>
      </div>
    );
  }
  if (history.status === 'failed') {
    return (
      <div className="history">
        <h3 className="history-title">历史来电</h3>
        <p className="small">
          <span className="report-error">未能读取:{history.error}</span>
          <button type="button" className="link" onClick={() => void controller.loadHistory(callId, { force: true })}>
            重试
          </button>
        </p>
      </div>
    );
  }
  const data = history.data;
  const entries = data?.entries ?? [];
  return (
    <div className="history">
      <h3 className="history-title">
        历史来电 <span className="count-pill">{data?.total ?? 0}</span>
        {data && data.total > entries.length && <span className="muted small">显示最近 {entries.length} 次</span>}
      </h3>
      {entries.length === 0 ? (
        <p className="muted small">首次来电</p>
      ) : (
        <ul className="history-list" aria-label="历史来电">
          {entries.map((e) => (
            <HistoryItem key={e.record.callId} entry={e} reference={reference} />
          ))}
        </ul>
      )}
    </div>
  );
}
