import { useState, type FormEvent } from 'react';
import { ROLES, ROLE_LABELS, type ApiError, type ReferenceData, type Role, type SeatView, type UserAdminView } from '../../contract';
import { Field, fieldAria } from '../../shared/components/Field';
import { errorMessage } from '../../shared/errors';

export interface UserFormValue {
  username: string;
  displayName: string;
  role: Role;
  seatId: string | null;
  /** null = every centre. */
  centres: string[] | null;
  password: string;
}

const empty: UserFormValue = { username: '', displayName: '', role: 'seat', seatId: null, centres: null, password: '' };

/** 新建用户 / 编辑: role, bound seat (seats), centres in scope (supervisors, managers), first password (new accounts). */
export function UserForm(props: {
  editing: UserAdminView | null;
  seats: SeatView[];
  reference: ReferenceData | null;
  onSubmit: (value: UserFormValue) => Promise<ApiError | null>;
  onCancel: () => void;
}) {
  const { editing } = props;
  const [v, setV] = useState<UserFormValue>(editing ? { ...editing, password: '' } : empty);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const f = error?.fields ?? {};
  const scoped = v.role === 'supervisor' || v.role === 'manager';
  // Reasons for no field shown here (another administrator's change, a rule on the whole form)
  // go in the alert: a refusal is never silent.
  const shown = new Set([
    'username',
    'displayName',
    'role',
    ...(v.role === 'seat' ? ['seatId'] : []),
    ...(editing ? [] : ['password']),
    ...(scoped ? ['centres'] : []),
  ]);
  const unshown = [...new Set(Object.entries(f).flatMap(([k, m]) => (shown.has(k) ? [] : m)))];
  const set = (patch: Partial<UserFormValue>) => setV((cur) => ({ ...cur, ...patch }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const err = await props.onSubmit({ ...v, seatId: v.role === 'seat' ? v.seatId : null, centres: scoped ? v.centres : null });
    setBusy(false);
    setError(err);
  }

  const toggleCentre = (id: string, on: boolean) => {
    const cur = v.centres ?? [];
    set({ centres: on ? [...cur, id] : cur.filter((c) => c !== id) });
  };

  return (
    <form className="panel user-form" aria-label={editing ? '编辑用户' : '新建用户'} onSubmit={(e) => void submit(e)}>
      <h2 className="panel-title">{editing ? `编辑用户 ${editing.username}` : '新建用户'}</h2>
      <div className="user-form-grid">
        <Field id="u-username" label="用户名" errors={f.username} className="field">
          <input
            id="u-username"
            value={v.username}
            disabled={editing !== null}
            onChange={(e) => set({ username: e.target.value })}
            {...fieldAria('u-username', f.username)}
          />
        </Field>
        <Field id="u-name" label="姓名" errors={f.displayName} className="field">
          <input
            id="u-name"
            value={v.displayName}
            onChange={(e) => set({ displayName: e.target.value })}
            {...fieldAria('u-name', f.displayName)}
          />
        </Field>
        <Field id="u-role" label="角色" errors={f.role} className="field">
          <select id="u-role" value={v.role} onChange={(e) => set({ role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        {v.role === 'seat' && (
          <Field id="u-seat" label="绑定坐席" errors={f.seatId} className="field">
            <select
              id="u-seat"
              value={v.seatId ?? ''}
              onChange={(e) => set({ seatId: e.target.value || null })}
              {...fieldAria('u-seat', f.seatId)}
            >
              <option value="">请选择坐席</option>
              {props.seats.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.id} {s.name}(工号 {s.staffNo})
                </option>
              ))}
            </select>
          </Field>
        )}
        {!editing && (
          <Field id="u-password" label="初始密码(首次登录须修改)" errors={f.password} className="field">
            <input
              id="u-password"
              type="password"
              autoComplete="new-password"
              value={v.password}
              onChange={(e) => set({ password: e.target.value })}
              {...fieldAria('u-password', f.password)}
            />
          </Field>
        )}
      </div>
      {scoped && (
        <fieldset className="centre-scope">
          <legend>可查看的中心</legend>
          <label>
            <input type="checkbox" checked={v.centres === null} onChange={(e) => set({ centres: e.target.checked ? null : [] })} /> 全部中心
          </label>
          {v.centres !== null &&
            (props.reference?.centres ?? []).map((c) => (
              <label key={c.id}>
                <input
                  type="checkbox"
                  checked={v.centres?.includes(c.id) ?? false}
                  onChange={(e) => toggleCentre(c.id, e.target.checked)}
                />{' '}
                {c.name}
              </label>
            ))}
          {f.centres && <div className="field-errors">{f.centres.join(';')}</div>}
        </fieldset>
      )}
      {error && unshown.length === 0 && !error.fields && <div className="alert alert-error">{errorMessage(error)}</div>}
      {unshown.length > 0 && (
        <div className="alert alert-error" role="alert">
          {unshown.join(';')}
        </div>
      )}
      <div className="modal-actions">
        <button type="button" className="btn btn-ghost" onClick={props.onCancel}>
          取消
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {editing ? '保存' : '创建用户'}
        </button>
      </div>
    </form>
  );
}
