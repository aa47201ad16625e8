import { useCallback, useEffect, useState } from 'react';
import { configVersion, ROLE_LABELS, type Ack, type SeatView, type UserAdminView } from '../../contract';
import { accounts } from '../../app/root';
import { useAppStore } from '../../app/store';
import { errorMessage } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { centreName } from '../../shared/labels';
import { UserForm, type UserFormValue } from './UserForm';

type Notice = { kind: 'info' | 'error'; text: string; secret?: string } | null;

/** 用户管理 (administrators): accounts with their role, seat and centres; create, edit, disable, reset, unlock. */
export function UsersPage() {
  const reference = useAppStore((s) => s.reference);
  const me = useAppStore((s) => s.user?.id ?? null);
  const [users, setUsers] = useState<UserAdminView[]>([]);
  const [seats, setSeats] = useState<SeatView[]>([]);
  const [form, setForm] = useState<{ editing: UserAdminView | null } | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  const load = useCallback(async () => {
    const [u, s] = await Promise.all([accounts.listUsers(), accounts.seats()]);
    if (u.ok) setUsers(u.data);
    else setNotice({ kind: 'error', text: errorMessage(u.error) });
    if (s.ok) setSeats(s.data);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function submit(v: UserFormValue) {
    const editing = form?.editing ?? null;
    const r = editing
      ? await accounts.updateUser(
          editing.id,
          { displayName: v.displayName, role: v.role, seatId: v.seatId, centres: v.centres },
          configVersion({ displayName: editing.displayName, role: editing.role, seatId: editing.seatId, centres: editing.centres }),
        )
      : await accounts.createUser(v);
    if (!r.ok) return r.error;
    setForm(null);
    setNotice({ kind: 'info', text: editing ? `已保存用户 ${r.data.username}` : `已创建用户 ${r.data.username},首次登录须修改初始密码` });
    await load();
    return null;
  }

  async function act(label: string, run: () => Promise<Ack<unknown>>) {
    const r = await run();
    setNotice(r.ok ? { kind: 'info', text: label } : { kind: 'error', text: errorMessage(r.error) });
    await load();
  }

  async function reset(u: UserAdminView) {
    if (!window.confirm(`重置 ${u.username} 的密码?该用户的登录会话将结束。`)) return;
    const r = await accounts.resetPassword(u.id);
    if (!r.ok) return setNotice({ kind: 'error', text: errorMessage(r.error) });
    setNotice({
      kind: 'info',
      text: `已重置 ${u.username} 的密码。一次性密码只显示这一次,请当面或通过安全渠道交给本人:`,
      secret: r.data.oneTimePassword,
    });
    await load();
  }

  const centresText = (u: UserAdminView) =>
    u.role === 'supervisor' || u.role === 'manager'
      ? u.centres === null
        ? '全部中心'
        : u.centres.map((c) => centreName(c, reference)).join('、')
      : '—';

  return (
    <div className="users-page">
      <div className="page-actions">
        <button className="btn btn-primary" onClick={() => setForm({ editing: null })}>
          新建用户
        </button>
      </div>
      {notice && (
        <div className={`alert alert-${notice.kind}`} role="status">
          {notice.text}
          {notice.secret && <code className="one-time-password">{notice.secret}</code>}
        </div>
      )}
      {form && (
        <UserForm
          key={form.editing?.id ?? 'new'}
          editing={form.editing}
          seats={seats}
          reference={reference}
          onSubmit={submit}
          onCancel={() => setForm(null)}
        />
      )}
      <section className="panel table-panel" aria-label="用户列表">
        <h2 className="panel-title">
          用户管理 <span className="count-pill">{users.length}</span>
        </h2>
        <div className="table-scroll">
          <table className="grid users-table">
            <thead>
              <tr>
                <th>用户名</th>
                <th>姓名</th>
                <th>角色</th>
                <th>坐席</th>
                <th>可查看的中心</th>
                <th>状态</th>
                <th>密码修改于</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-username={u.username}>
                  <td>{u.username}</td>
                  <td>{u.displayName}</td>
                  <td>{ROLE_LABELS[u.role]}</td>
                  <td>{u.seatId ?? '—'}</td>
                  <td>{centresText(u)}</td>
                  <td>
                    {u.disabled ? <span className="badge">已停用</span> : '正常'}
                    {u.mustChangePassword && <span className="badge">待改密码</span>}
                  </td>
                  <td>{u.passwordChangedAt ? formatDateTime(u.passwordChangedAt) : '—'}</td>
                  <td className="row-actions">
                    <button className="btn btn-ghost" onClick={() => setForm({ editing: u })}>
                      编辑
                    </button>
                    {u.id !== me && (
                      <button
                        className="btn btn-ghost"
                        onClick={() =>
                          void act(u.disabled ? `已启用 ${u.username}` : `已停用 ${u.username}`, () =>
                            accounts.setDisabled(u.id, !u.disabled),
                          )
                        }
                      >
                        {u.disabled ? '启用' : '停用'}
                      </button>
                    )}
                    <button className="btn btn-ghost" onClick={() => void reset(u)}>
                      重置密码
                    </button>
                    <button
                      className="btn btn-ghost"
                      onClick={() => void act(`已解除 ${u.username} 的登录锁定`, () => accounts.unlock(u.id))}
                    >
                      解锁
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
