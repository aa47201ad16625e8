import { useState } from 'react';
import { configVersion, type Ack, type ReferenceData, type TrendsView } from '../../contract';
import { errorMessage, NETWORK_ERROR } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';

async function call<T>(url: string, init?: RequestInit): Promise<Ack<T>> {
  try {
    return (await (await fetch(url, { credentials: 'same-origin', ...init })).json()) as Ack<T>;
  } catch {
    return { ok: false, error: NETWORK_ERROR };
  }
}

/** 舆情/风险预警: rising topics and categories against the previous period, risk-word hits, the watch list. */
export function TrendsPanel({ from, to, reference }: { from: string; to: string; reference: ReferenceData | null }) {
  const [trends, setTrends] = useState<TrendsView | null>(null);
  const [words, setWords] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const category = (id: string) => reference?.categories.find((c) => c.id === id)?.name ?? id;
  const load = async () => {
    const r = await call<TrendsView>(`/api/reports/trends?from=${from}&to=${to}`);
    if (r.ok) {
      setTrends(r.data);
      setWords(r.data.riskWords.join(' '));
      setMessage(null);
    } else setMessage(errorMessage(r.error));
  };
  const save = async () => {
    // The list as loaded: a save after someone else's is refused, not a silent overwrite.
    const version = trends ? `?version=${configVersion(trends.riskWords)}` : '';
    const r = await call<string[]>(`/api/reports/risk-words${version}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ words: words.split(/[\s,，、]+/).filter(Boolean) }),
    });
    setMessage(r.ok ? `风险词表已保存(${r.data.length} 个)` : errorMessage(r.error));
    if (r.ok) void load();
  };
  return (
    <section className="panel report-trends">
      <h2 className="panel-title">舆情与风险预警</h2>
      <div className="report-exports no-print">
        <button onClick={() => void load()}>
          分析 {from} 至 {to}
        </button>
        {message && <span role="status">{message}</span>}
      </div>
      {trends && (
        <div className="report-trends-grid">
          <div>
            <h3>上升话题(对比 {trends.previousFrom} 起的上一周期)</h3>
            <p className="muted small">
              本期小结 {trends.summaries} 份,上期 {trends.previousSummaries} 份;按提及该词的小结占比之比排序。
            </p>
            <table className="grid report-table">
              <thead>
                <tr>
                  <th>词</th>
                  <th>本期</th>
                  <th>上期</th>
                  <th>倍数</th>
                </tr>
              </thead>
              <tbody>
                {trends.rising.map((r) => (
                  <tr key={r.term}>
                    <td>{r.term}</td>
                    <td>{r.count}</td>
                    <td>{r.previous}</td>
                    <td>{r.ratio.toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>类别变化</h3>
            <table className="grid report-table">
              <thead>
                <tr>
                  <th>类别</th>
                  <th>本期</th>
                  <th>上期</th>
                  <th>占比倍数</th>
                </tr>
              </thead>
              <tbody>
                {trends.categories.map((c) => (
                  <tr key={c.categoryId} className={c.ratio >= 1.5 ? 'report-short' : undefined}>
                    <td>{category(c.categoryId)}</td>
                    <td>{c.count}</td>
                    <td>{c.previous}</td>
                    <td>{c.ratio.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div>
            <h3>风险词命中({trends.riskHits.length})</h3>
            <table className="grid report-table">
              <thead>
                <tr>
                  <th>来电时间</th>
                  <th>类别</th>
                  <th>命中</th>
                  <th>主题</th>
                </tr>
              </thead>
              <tbody>
                {trends.riskHits.map((h) => (
                  <tr key={h.callId}>
                    <td>{formatDateTime(h.at)}</td>
                    <td>{category(h.categoryId)}</td>
                    <td>{h.words.join('、')}</td>
                    <td>{h.topic}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <label className="report-words no-print">
              风险词表(空格分隔)
              <textarea value={words} onChange={(e) => setWords(e.target.value)} rows={3} />
            </label>
            <button className="no-print" onClick={() => void save()}>
              保存风险词表
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
