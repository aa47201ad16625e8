import { useCallback, useEffect, useState } from 'react';
import {
  can,
  VISIT_OUTCOME_LABELS,
  VISIT_OUTCOMES,
  VISIT_SOURCE_LABELS,
  RATING_SCALE,
  percent1,
  type SatisfactionFigures,
  type VisitOutcome,
  type VisitStatus,
  type VisitTaskView,
} from '../../contract';
import { useAppStore } from '../../app/store';
import { phone, visits as controller } from '../../app/root';
import { categoryName } from '../../shared/labels';
import { chinaDay, formatDateTime, fromChinaLocalInput } from '../../shared/format';
import { WrappedField } from '../../shared/components/Field';
import { DateTimeInput } from '../../shared/components/DateInput';

/** A rate as the reports and their exports round it (percent1): (v * 100).toFixed(1) gave 87.9% where they said 88.0%. */
/** Tasks per page of the worklist (the API gives at most 500 at a time). */
const PAGE = 100;

const pct = (v: number | null) => {
  const p = percent1(v);
  return p === null ? '—' : `${p.toFixed(1)}%`;
};

/** 满意率 today and this month, and dissatisfied callers called back in time (staff). */
function FiguresPanel() {
  const [f, setF] = useState<SatisfactionFigures | null>(null);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    const day = chinaDay(Date.now());
    const from = Date.parse(`${day.slice(0, 7)}-01T00:00:00+08:00`);
    void controller.figures(from, Date.now() + 1, 'seat').then((r) => (r.ok ? setF(r.data) : setErr(r.error.message)));
  }, []);
  if (err) return <p className="form-error">{err}</p>;
  if (!f) return <p className="muted">正在加载满意度统计…</p>;
  return (
    <section className="panel" aria-label="本月满意度">
      <h2 className="panel-title">本月满意度</h2>
      <p>
        满意率 <strong>{pct(f.total.satisfactionRate)}</strong>(目标 ≥ 90%) · 参评率 {pct(f.total.ratedShare)} · 不满意回访及时率{' '}
        <strong>{pct(f.dissatisfiedCalledBack.rate)}</strong>({f.dissatisfiedCalledBack.withinDeadline}/{f.dissatisfiedCalledBack.due},目标
        100%) · 逾期回访 <strong>{f.overdueVisits}</strong>
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th>坐席</th>
            <th>接听</th>
            <th>参评</th>
            <th>满意</th>
            <th>不满意</th>
            <th>满意率</th>
          </tr>
        </thead>
        <tbody>
          {f.rows.map((r) => (
            <tr key={r.key}>
              <td>{r.key}</td>
              <td>{r.answered}</td>
              <td>{r.rated}</td>
              <td>{r.satisfied}</td>
              <td>{r.dissatisfied}</td>
              <td>{pct(r.satisfactionRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Records one attempt: outcome, the caller's rating and comment when reached, a follow-up. */
function OutcomeForm({ task, onDone }: { task: VisitTaskView; onDone: (msg: string) => void }) {
  const [outcome, setOutcome] = useState<VisitOutcome | ''>('');
  const [score, setScore] = useState('');
  const [comment, setComment] = useState('');
  const [followNote, setFollowNote] = useState('');
  const [followAt, setFollowAt] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (!outcome) return setError('请选择回访结果');
    const dueAt = followAt ? fromChinaLocalInput(followAt) : null;
    // Half a follow-up was dropped without a word (the task closed with no follow-up task).
    if (followNote.trim() && dueAt === null) return setError('请填写跟进时间,或清空需跟进事项');
    if (!followNote.trim() && dueAt !== null) return setError('请填写需跟进事项,或清空跟进时间');
    const r = await controller.recordOutcome(task.id, {
      outcome,
      ...(outcome === 'reached' && score ? { score: Number(score) } : {}),
      ...(comment ? { comment } : {}),
      ...(followNote && dueAt !== null ? { followUp: { note: followNote, dueAt } } : {}),
    });
    if (!r.ok) return setError(r.error.message);
    onDone(r.data.task.status === 'closed' ? '已记录结果,任务已关闭' : '已记录结果,稍后再拨');
  };
  return (
    <div className="visit-outcome" aria-label="记录回访结果">
      <WrappedField className="inline-field" label="回访结果">
        <select value={outcome} onChange={(e) => setOutcome(e.target.value as VisitOutcome)}>
          <option value="">请选择</option>
          {VISIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {VISIT_OUTCOME_LABELS[o]}
            </option>
          ))}
        </select>
      </WrappedField>
      {outcome === 'reached' && (
        <WrappedField className="inline-field" label="来电人评价">
          <select value={score} onChange={(e) => setScore(e.target.value)}>
            <option value="">未评价</option>
            {RATING_SCALE.map((s) => (
              <option key={s.score} value={s.score}>
                {s.label}
              </option>
            ))}
          </select>
        </WrappedField>
      )}
      <WrappedField className="inline-field" label="意见">
        <input value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} />
      </WrappedField>
      <WrappedField className="inline-field" label="需跟进事项">
        <input value={followNote} maxLength={200} onChange={(e) => setFollowNote(e.target.value)} />
      </WrappedField>
      <WrappedField className="inline-field" label="跟进时间">
        <DateTimeInput value={followAt} onChange={setFollowAt} />
      </WrappedField>
      <button type="button" className="btn btn-primary btn-small" onClick={() => void submit()}>
        保存结果
      </button>
      {error && <p className="form-error">{error}</p>}
    </div>
  );
}

/**
 * 回访: the call-back worklist, due first with overdue tasks on top. Seats see the tasks assigned
 * to them; staff see every task, assign them and read the satisfaction figures.
 */
export function VisitsPage() {
  const user = useAppStore((s) => s.user);
  const reference = useAppStore((s) => s.reference);
  const staff = user ? can(user.role, 'satisfaction:read') : false;
  const [status, setStatus] = useState<VisitStatus>('open');
  /** Paging: the tasks before this page; one task more than a page is asked for, to know a next page exists. */
  const [offset, setOffset] = useState(0);
  const [rows, setRows] = useState<VisitTaskView[] | null>(null);
  const tasks = rows && rows.slice(0, PAGE);
  const hasMore = (rows?.length ?? 0) > PAGE;
  const [open, setOpen] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** The task being dialled from this page (its call rings or is up on the seat's softphone). */
  const [calling, setCalling] = useState<{ id: number; up: boolean } | null>(null);
  const inCall = useAppStore((s) => s.phone.active !== null);
  const load = useCallback(() => {
    void controller.list(status, { offset, limit: PAGE + 1 }).then((r) => (r.ok ? setRows(r.data) : setNotice(r.error.message)));
  }, [status, offset]);
  useEffect(load, [load]);

  // Click-to-call: the router gives a one-time target (never the number); the softphone calls it.
  const dial = async (t: VisitTaskView) => {
    const r = await controller.dial(t.id);
    if (!r.ok) return setNotice(r.error.message);
    setOpen(t.id);
    if (!r.data.connected || !r.data.target) return setNotice(r.data.message);
    setNotice(`正在外呼 ${t.callerMasked}(主叫显示 12348 热线号码)…`);
    setCalling({ id: t.id, up: false });
    const out = await phone.dialOut(r.data.target);
    setNotice(out.ok ? `已接通 ${t.callerMasked},通话结束后请记录回访结果` : `外呼:${out.detail}`);
    setCalling(out.ok ? { id: t.id, up: true } : null);
    load();
  };
  useEffect(() => {
    if (!inCall && calling?.up) {
      setCalling(null);
      load();
    }
  }, [inCall, calling, load]);
  /** false when refused (the field then shows the assignee again, not the refused seat). */
  const assign = async (t: VisitTaskView, seatId: string): Promise<boolean> => {
    const r = await controller.assign(t.id, seatId || null);
    if (!r.ok) {
      setNotice(r.error.message);
      return false;
    }
    load();
    return true;
  };

  return (
    <div className="visits-page">
      {staff && <FiguresPanel />}
      <section className="panel table-panel" aria-label="回访任务">
        <h2 className="panel-title">
          回访任务{' '}
          <span className="count-pill">
            {offset + (tasks?.length ?? 0)}
            {hasMore ? '+' : ''}
          </span>
          <select
            aria-label="任务状态"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as VisitStatus);
              setOffset(0);
            }}
          >
            <option value="open">待回访</option>
            <option value="closed">已关闭</option>
          </select>
        </h2>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {tasks && tasks.length === 0 && <p className="muted">{staff ? '暂无回访任务' : '暂无分派给您的回访任务'}</p>}
        {tasks && tasks.length > 0 && (
          <table className="data-table">
            <thead>
              <tr>
                <th>应回访时间</th>
                <th>类型</th>
                <th>来电号码</th>
                <th>领域</th>
                <th>已拨次数</th>
                <th>{status === 'open' ? '操作' : '结果'}</th>
                {staff && <th>分派坐席</th>}
              </tr>
            </thead>
            <tbody>
              {tasks.map((t) => (
                <tr key={t.id} className={t.overdue ? 'row-overdue' : undefined}>
                  <td>
                    {formatDateTime(t.dueAt)}
                    {t.overdue && <span className="badge badge-risk">已逾期</span>}
                  </td>
                  <td>
                    {VISIT_SOURCE_LABELS[t.source]}
                    {t.note && <span className="muted small"> · {t.note}</span>}
                  </td>
                  <td>{t.callerMasked}</td>
                  <td>{categoryName(t.categoryId, reference)}</td>
                  <td>{t.attempts}</td>
                  <td>
                    {t.status === 'closed' && t.outcome && VISIT_OUTCOME_LABELS[t.outcome]}
                    {t.status === 'open' && (
                      <>
                        {calling?.id === t.id ? (
                          <button type="button" className="btn btn-small btn-decline" onClick={() => phone.hangup()}>
                            挂断
                          </button>
                        ) : (
                          <button type="button" className="btn btn-small" disabled={calling !== null} onClick={() => void dial(t)}>
                            拨打
                          </button>
                        )}
                        <button type="button" className="btn btn-small" onClick={() => setOpen(open === t.id ? null : t.id)}>
                          记录结果
                        </button>
                        {open === t.id && (
                          <OutcomeForm
                            task={t}
                            onDone={(msg) => {
                              setOpen(null);
                              setNotice(msg);
                              load();
                            }}
                          />
                        )}
                      </>
                    )}
                  </td>
                  {staff && (
                    <td>
                      <input
                        // Re-mounted when the assignee changes (another supervisor's assignment, read on reload).
                        key={`${t.id}:${t.assigneeSeatId ?? ''}`}
                        aria-label="分派坐席"
                        className="input-small"
                        defaultValue={t.assigneeSeatId ?? ''}
                        placeholder="坐席编号"
                        onBlur={(e) => {
                          const input = e.target;
                          if (input.value === (t.assigneeSeatId ?? '')) return;
                          void assign(t, input.value.trim()).then((ok) => {
                            if (!ok) input.value = t.assigneeSeatId ?? '';
                          });
                        }}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {(offset > 0 || hasMore) && (
          <p className="pager" aria-label="翻页">
            <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              上一页
            </button>{' '}
            第 {offset / PAGE + 1} 页(每页 {PAGE} 条){' '}
            <button type="button" className="btn btn-small" disabled={!hasMore} onClick={() => setOffset(offset + PAGE)}>
              下一页
            </button>
          </p>
        )}
      </section>
    </div>
  );
}
