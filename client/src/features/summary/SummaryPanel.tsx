import { useState } from 'react';
import { formatClock } from '../../shared/format';
import { useAppStore } from '../../app/store';
import { callIdOf } from '../workbench/slice';
import type { SummaryWork } from './slice';
import { summary as controller } from '../../app/root';
import { draftStatusText } from './status';
import { summaryToDraft } from './validate';
import { FiledSummaryView, revisionLine, SummaryEditor } from './SummaryEditor';
import { SummaryForm } from './SummaryForm';

function DraftStatus({ work }: { work: SummaryWork }) {
  const { text, tone } = draftStatusText(work);
  return (
    <span className={`draft-status tone-${tone}`} role="status">
      {text}
    </span>
  );
}

/** 重大事项上报: sent as soon as the note is written, not at filing. */
function MajorReportStatus({ work }: { work: SummaryWork }) {
  const r = work.report;
  const note = (work.draft.riskNote ?? '').trim();
  const send = () => void controller.reportMajor();
  if (r.status === 'sending')
    return (
      <p className="report-line" role="status">
        正在上报班长…
      </p>
    );
  if (r.status === 'sent' && r.at !== null) {
    const changed = note !== '' && note !== r.note;
    return (
      <p className="report-line report-sent" role="status">
        <span>✓ 已上报班长 {formatClock(r.at)}</span>
        {changed && (
          <button type="button" className="btn btn-small" onClick={send}>
            说明有修改,补充上报
          </button>
        )}
        {r.error && <span className="report-error">补充上报失败:{r.error}</span>}
      </p>
    );
  }
  return (
    <p className="report-line" role="status">
      {r.status === 'failed' && <span className="report-error">上报失败:{r.error}</span>}
      <button type="button" className="btn btn-small btn-danger" onClick={send} disabled={!note}>
        {r.status === 'failed' ? '重新上报' : '立即上报班长'}
      </button>
      <span className="muted small">写好说明后离开此框即自动上报,无需等到提交小结</span>
    </p>
  );
}

function FiledPanel({ work }: { work: SummaryWork }) {
  const [editing, setEditing] = useState(false);
  const filed = work.filed!;
  if (editing) {
    return (
      <div className="summary-body">
        <SummaryEditor
          idPrefix={`amend-${work.callId}`}
          callId={work.callId}
          initial={summaryToDraft(filed)}
          mode="amend"
          onCancel={() => setEditing(false)}
          onSaved={() => setEditing(false)}
        />
      </div>
    );
  }
  return (
    <div className="summary-body filed">
      <div className="filed-banner" role="status">
        <span>✓ 小结{revisionLine(filed)}</span>
        {filed.amendable && (
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
            修改
          </button>
        )}
      </div>
      <div className="summary-scroll">
        <FiledSummaryView summary={filed} />
      </div>
    </div>
  );
}

/** 通话小结 of the call at this seat: typed during the call, filed to leave wrap-up. */
export function SummaryPanel() {
  const work = useAppStore((s) => s.summaryWork);
  const seatState = useAppStore((s) => s.seat?.state ?? null);
  const categories = useAppStore((s) => s.reference?.categories ?? EMPTY);
  const [focusKey, setFocusKey] = useState(0);
  const currentCallId = seatState ? callIdOf(seatState) : null;

  // A new call rings: the last call's filed summary gives way to the new one's place.
  if (!work || (work.filed && work.callId !== currentCallId && seatState?.kind === 'ringing')) {
    return (
      <section className="panel summary-panel summary-empty" aria-label="通话小结">
        <h2 className="panel-title">通话小结</h2>
        <p className="muted">
          {seatState?.kind === 'ringing'
            ? '接听后即可在此填写小结,边听边记。'
            : '暂无进行中的通话。接听来电后在此填写小结;以往的小结见“我的来电”。'}
        </p>
      </section>
    );
  }

  const earlier = work.callId !== currentCallId;
  const submit = async () => {
    const filed = await controller.submit();
    if (!filed) setFocusKey((k) => k + 1);
  };

  return (
    <section className={`panel summary-panel${work.filed ? ' is-filed' : ''}`} aria-label="通话小结">
      <h2 className="panel-title">
        通话小结
        {earlier && <span className="muted small">{work.filed ? '(上一通来电)' : '(上一通来电,尚未提交)'}</span>}
        {!work.filed && <DraftStatus work={work} />}
      </h2>
      {work.filed ? (
        <FiledPanel key={work.callId} work={work} />
      ) : (
        <SummaryForm
          idPrefix="summary"
          className="summary-body"
          draft={work.draft}
          onChange={controller.edit}
          onSubmit={() => void submit()}
          errors={work.fieldErrors}
          categories={categories}
          disabled={work.submitting}
          focusErrorsKey={focusKey}
          onFieldBlur={() => void controller.flushAll()}
          onRiskNoteBlur={() => void controller.reportMajor({ auto: true })}
          riskExtra={<MajorReportStatus work={work} />}
          header={
            work.loadError ? (
              <p className="alert alert-info small">未能读取服务器上的草稿({work.loadError}),正在使用本机保存的内容并重试。</p>
            ) : null
          }
          footer={
            <>
              {work.error && (
                <div className="alert alert-error" role="alert">
                  {work.error}
                </div>
              )}
              <div className="summary-actions">
                <button type="submit" className="btn btn-primary" disabled={work.submitting} aria-keyshortcuts="Control+Enter">
                  {work.submitting ? '提交中…' : '提交小结'}
                </button>
                <kbd className="key-hint">Ctrl+Enter</kbd>
                {seatState?.kind === 'wrap-up' && seatState.callId === work.callId && (
                  <span className="muted small">提交后即可完成整理</span>
                )}
              </div>
            </>
          }
        />
      )}
    </section>
  );
}

const EMPTY: never[] = [];
