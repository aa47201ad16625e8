import { DateInput } from '../../shared/components/DateInput';
import { Fragment, useEffect, useState } from 'react';
import { CALL_RESULT_LABELS, DISPOSITION_LABELS, type CallerHistoryEntry } from '../../contract';
import { categoryName } from '../../shared/labels';
import { formatClock, formatDuration } from '../../shared/format';
import { useAppStore } from '../../app/store';
import { summary as controller } from '../../app/root';
import { summaryToDraft } from '../summary/validate';
import { FiledSummaryView, revisionLine, SummaryEditor } from '../summary/SummaryEditor';
import { WrappedField } from '../../shared/components/Field';
import { RecordingPlayer } from '../recordings';
import { UnfiledList } from '../unfiled/UnfiledList';
import { MyOutboundCalls } from '../visits/MyOutboundCalls';

type Editing = { callId: string; mode: 'amend' | 'late' } | null;

function SummaryCell({ entry }: { entry: CallerHistoryEntry }) {
  const s = entry.summary;
  if (!s) return <span className="muted">{entry.record.result === 'answered' ? '未提交' : '—'}</span>;
  return (
    <span className="ellipsis" title={s.topic}>
      <span className="disp">{DISPOSITION_LABELS[s.disposition]}</span>
      {s.riskFlag && <span className="badge badge-risk">重大事项</span>}
      {s.topic && <span> · {s.topic}</span>}
    </span>
  );
}

/**
 * 我的来电: this seat's calls of a day with their summaries. Today's own summaries may be
 * amended (修改) and a missing one written (补写) in the same form; earlier days are read-only.
 */
export function MyCallsPage() {
  const myCalls = useAppStore((s) => s.myCalls);
  const reference = useAppStore((s) => s.reference);
  const seatId = useAppStore((s) => s.user?.seatId ?? null);
  const navigate = useAppStore((s) => s.navigate);
  // The call at the seat now is written on the workbench, with its draft and the wrap-up gate.
  const liveCallId = useAppStore((s) => {
    const st = s.seat?.state;
    return st && (st.kind === 'talking' || st.kind === 'wrap-up') ? st.callId : null;
  });
  const [today, setToday] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);

  useEffect(() => {
    void controller.loadMyCalls(null);
  }, []);
  useEffect(() => {
    if (myCalls.day === null && myCalls.data) setToday(myCalls.data.day);
  }, [myCalls.day, myCalls.data]);

  const data = myCalls.data;
  const shownDay = data?.day ?? myCalls.day ?? today ?? '';
  const isToday = today !== null && shownDay === today;
  const entries = data?.entries ?? [];
  const filed = entries.filter((e) => e.summary).length;
  const pick = (day: string) => {
    setEditing(null);
    setOpen(null);
    void controller.loadMyCalls(!day || day === today ? null : day);
  };

  return (
    <div className="mycalls-page">
      <UnfiledList mine onPick={pick} />
      <section className="panel table-panel mycalls-panel" aria-label="我的来电">
        <div className="mycalls-head">
          <h2 className="panel-title">
            我的来电 <span className="count-pill">{entries.length}</span>
            {entries.length > 0 && <span className="muted small">已提交小结 {filed}</span>}
          </h2>
          <div className="mycalls-tools">
            <WrappedField className="inline-field" label="日期">
              <DateInput value={shownDay} max={today ?? undefined} today={today ?? undefined} onChange={pick} />
            </WrappedField>
            {!isToday && today && (
              <button type="button" className="btn btn-small" onClick={() => pick(today)}>
                回到今天
              </button>
            )}
            {!isToday && today && <span className="muted small">往日记录只读(未填的小结可补写)</span>}
          </div>
        </div>
        {myCalls.error && (
          <div className="alert alert-error mycalls-error" role="alert">
            未能读取来电记录:{myCalls.error}
            <button type="button" className="link" onClick={() => void controller.loadMyCalls(myCalls.day)}>
              重试
            </button>
          </div>
        )}
        <div className="table-scroll">
          <table className="grid mycalls-table">
            <thead>
              <tr>
                <th>时间</th>
                <th>来电号码</th>
                <th>咨询类别</th>
                <th className="num">等待</th>
                <th className="num">通话</th>
                <th>结果</th>
                <th>小结</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => {
                const r = entry.record;
                const s = entry.summary;
                const mine = r.seatId !== null && r.seatId === seatId;
                const canAmend = isToday && s !== null && s.amendable;
                const live = r.callId === liveCallId;
                // A missing summary may be written late on any day (小结未填), amendments only the same day.
                const canLate = s === null && mine && r.result === 'answered' && !live;
                const expanded = open === r.callId;
                const edit = editing?.callId === r.callId ? editing : null;
                return (
                  <Fragment key={r.callId}>
                    <tr className={expanded || edit ? 'row-open' : undefined}>
                      <td className="mono">{formatClock(r.enqueuedAt)}</td>
                      <td className="mono">{r.callerMasked}</td>
                      <td>{categoryName(s?.categoryId ?? r.categoryId, reference)}</td>
                      <td className="num mono">{formatDuration(r.waitMs)}</td>
                      <td className="num mono">{formatDuration(r.talkMs)}</td>
                      <td>{CALL_RESULT_LABELS[r.result]}</td>
                      <td className="fill">
                        <SummaryCell entry={entry} />
                      </td>
                      <td className="row-actions">
                        {s && (
                          <button
                            type="button"
                            className="link"
                            aria-expanded={expanded}
                            onClick={() => {
                              setEditing(null);
                              setOpen(expanded ? null : r.callId);
                            }}
                          >
                            {expanded ? '收起' : '查看'}
                          </button>
                        )}
                        {canAmend && !edit && (
                          <button type="button" className="link" onClick={() => setEditing({ callId: r.callId, mode: 'amend' })}>
                            修改
                          </button>
                        )}
                        {live && s === null && (
                          <button type="button" className="link" onClick={() => navigate('seat')}>
                            到工作台填写
                          </button>
                        )}
                        {canLate && !edit && (
                          <button type="button" className="link" onClick={() => setEditing({ callId: r.callId, mode: 'late' })}>
                            补写小结
                          </button>
                        )}
                      </td>
                    </tr>
                    {(expanded || edit) && (
                      <tr className="row-detail">
                        <td colSpan={8}>
                          {edit ? (
                            <SummaryEditor
                              idPrefix={`mycall-${r.callId}`}
                              callId={r.callId}
                              mode={edit.mode}
                              initial={s ? summaryToDraft(s) : (controller.localDraft(r.callId) ?? { categoryId: r.categoryId })}
                              onCancel={() => setEditing(null)}
                              onSaved={() => {
                                setEditing(null);
                                setOpen(r.callId);
                              }}
                            />
                          ) : (
                            <>
                              {s && (
                                <div className="mycall-summary">
                                  <p className="muted small">
                                    {s.seatName} · 小结{revisionLine(s)}
                                  </p>
                                  <FiledSummaryView summary={s} />
                                </div>
                              )}
                              <RecordingPlayer callId={r.callId} />
                            </>
                          )}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
          {myCalls.status === 'loading' && entries.length === 0 && <p className="empty">正在读取…</p>}
          {myCalls.status === 'loaded' && entries.length === 0 && <p className="empty">{isToday ? '今天还没有来电' : '这一天没有来电'}</p>}
        </div>
      </section>
      <MyOutboundCalls day={myCalls.day} />
    </div>
  );
}
