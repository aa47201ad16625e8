import { useCallback, useEffect, useState } from 'react';
import { ROLE_LABELS, type AuditEntryView, type Role } from '../../contract';
import { accounts } from '../../app/root';
import { DateTimeInput } from '../../shared/components/DateInput';
import { errorMessage } from '../../shared/errors';
import { formatDateTime, fromChinaLocalInput } from '../../shared/format';
import type { AuditQuery } from '../users/api';

const PAGE = 100;

/** What an action is called on the page. */
const ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录成功',
  'auth.login-failed': '登录失败',
  'auth.locked': '登录被锁定',
  'auth.login-refused': '锁定期间登录被拒',
  'auth.logout': '退出登录',
  'auth.session-end': '会话结束',
  'user.create': '新建用户',
  'retention.run': '到期数据处理',
  'user.update': '修改用户',
  'user.disable': '停用用户',
  'user.enable': '启用用户',
  'user.password-reset': '重置密码',
  'user.password-change': '修改本人密码',
  'user.password-change-failed': '修改本人密码失败(当前密码错误)',
  'user.unlock': '解除登录锁定',
  'routing-config.update': '修改路由配置',
  'seat.profile': '修改坐席档案',
  'knowledge.create': '新增知识条目',
  'knowledge.update': '修改知识条目',
  'knowledge.retire': '停用知识条目',
  'alert.acknowledge': '确认重大事项',
  'alert.thresholds': '修改告警阈值',
  'alert.threshold-acknowledge': '确认阈值告警',
  'supervisor.seat-not-ready': '班长置坐席示忙',
  'supervisor.seat-sign-out': '班长签出坐席',
  'supervisor.call-priority': '调整来电优先级',
  'supervisor.call-assign': '指派来电给坐席',
  'supervisor.call-category': '改变来电类别',
  'supervisor.call-force-release': '强拆通话',
  'supervisor.call-listen': '监听通话',
  'supervisor.call-listen-stop': '停止监听',
  'supervisor.message': '班长发送消息',
  'system.call-seat-lost': '坐席掉线结束通话',
  'summary.confidential-read': '查看保密小结',
  'referral.confidential-form': '打印保密转介单',
  'report.export': '导出报表',
  'report.export-unmasked': '导出完整号码话单',
  'report.risk-words': '修改风险词',
  'recording.play': '收听录音',
  'recording.download': '下载录音',
  'recording.delete': '删除过期录音',
};

const short = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));

/** 审计日志 (administrators): the append-only, hash-chained log of who did what; filter, page back, verify the chain. */
export function AuditPage() {
  const [filter, setFilter] = useState({ action: '', userId: '', from: '', to: '' });
  const [entries, setEntries] = useState<AuditEntryView[]>([]);
  const [actions, setActions] = useState<readonly string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  const query = useCallback(
    (beforeId?: number): AuditQuery => ({
      action: filter.action || undefined,
      userId: filter.userId ? Number(filter.userId) : undefined,
      from: filter.from ? (fromChinaLocalInput(filter.from) ?? undefined) : undefined,
      to: filter.to ? (fromChinaLocalInput(filter.to) ?? undefined) : undefined,
      beforeId,
      limit: PAGE,
    }),
    [filter],
  );

  const load = useCallback(
    async (beforeId?: number) => {
      const r = await accounts.auditLog(query(beforeId));
      if (!r.ok) return setError(errorMessage(r.error));
      setError(null);
      setActions(r.data.actions);
      setEntries((cur) => (beforeId ? [...cur, ...r.data.entries] : r.data.entries));
    },
    [query],
  );
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the first page once; later ones on 查询
  }, []);

  async function verify() {
    const r = await accounts.verifyAudit();
    if (!r.ok) return setVerdict(errorMessage(r.error));
    setVerdict(r.data.ok ? `校验通过:共 ${r.data.entries} 条,哈希链完整` : `校验失败:第 ${r.data.firstBadId} 条起不符(${r.data.problem})`);
  }

  const set = (k: keyof typeof filter) => (e: { target: { value: string } }) => setFilter((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="audit-page">
      <form
        className="panel audit-filter"
        aria-label="筛选"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          操作
          <select value={filter.action} onChange={set('action')}>
            <option value="">全部</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {ACTION_LABELS[a] ?? a}
              </option>
            ))}
          </select>
        </label>
        <label>
          用户编号
          <input inputMode="numeric" value={filter.userId} onChange={set('userId')} size={6} />
        </label>
        <label>
          自
          <DateTimeInput value={filter.from} onChange={(v) => setFilter((f) => ({ ...f, from: v }))} />
        </label>
        <label>
          至
          <DateTimeInput value={filter.to} onChange={(v) => setFilter((f) => ({ ...f, to: v }))} />
        </label>
        <button className="btn btn-primary" type="submit">
          查询
        </button>
        <button className="btn btn-ghost" type="button" onClick={() => void verify()}>
          校验哈希链
        </button>
        {verdict && (
          <span className="muted" role="status">
            {verdict}
          </span>
        )}
      </form>
      {error && <div className="alert alert-error">{error}</div>}
      <section className="panel table-panel" aria-label="审计日志">
        <h2 className="panel-title">
          审计日志 <span className="count-pill">{entries.length}</span>
        </h2>
        <div className="table-scroll">
          <table className="grid audit-table">
            <thead>
              <tr>
                <th>#</th>
                <th>时间</th>
                <th>用户</th>
                <th>角色</th>
                <th>地址</th>
                <th>操作</th>
                <th>对象</th>
                <th>变更 / 理由</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} onClick={() => setOpen(open === e.id ? null : e.id)}>
                  <td className="num">{e.id}</td>
                  <td>{formatDateTime(e.at)}</td>
                  <td>
                    {e.username}
                    {e.userId !== null && <span className="muted"> ({e.userId})</span>}
                  </td>
                  <td>{ROLE_LABELS[e.role as Role] ?? (e.role === 'anonymous' ? '未登录' : e.role === 'system' ? '系统' : e.role)}</td>
                  <td>{e.address}</td>
                  <td>{ACTION_LABELS[e.action] ?? e.action}</td>
                  <td>{e.target}</td>
                  <td className={open === e.id ? 'audit-change open' : 'audit-change'}>
                    {e.reason && <div>理由:{e.reason}</div>}
                    {e.before !== null && <div>前:{short(e.before)}</div>}
                    {e.after !== null && <div>后:{short(e.after)}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {entries.length === 0 && <p className="empty">没有符合条件的记录</p>}
          {entries.length > 0 && entries.length % PAGE === 0 && (
            <button className="btn btn-ghost" onClick={() => void load(entries.at(-1)!.id)}>
              更早的记录
            </button>
          )}
        </div>
      </section>
    </div>
  );
}
