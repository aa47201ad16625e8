import { useState, type FormEvent } from 'react';
import { accounts } from '../../app/root';
import { Field, fieldAria } from '../../shared/components/Field';
import { errorMessage } from '../../shared/errors';

type Fields = Partial<Record<'currentPassword' | 'newPassword' | 'confirm', string[]>>;

/**
 * 修改密码: the current password, the new one twice. `forced` (a one-time or expired password)
 * cannot be closed: nothing else works until the password is changed.
 */
export function PasswordDialog(props: { forced?: string; onDone: () => void; onCancel?: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fields, setFields] = useState<Fields>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (next !== confirm) return setFields({ confirm: ['两次输入的新密码不一致'] });
    setBusy(true);
    const r = await accounts.changePassword({ currentPassword: current, newPassword: next });
    setBusy(false);
    if (r.ok) return props.onDone();
    setFields(r.error.fields ?? {});
    setMessage(r.error.fields ? null : errorMessage(r.error));
  }

  return (
    <div className="modal-backdrop">
      <form className="modal panel" role="dialog" aria-modal="true" aria-labelledby="pw-title" onSubmit={(e) => void submit(e)}>
        <h2 className="panel-title" id="pw-title">
          修改密码
        </h2>
        {props.forced && <div className="alert alert-info">{props.forced}</div>}
        <p className="muted small">
          至少 10 个字符,包含大写字母、小写字母、数字、符号中的至少三类;不能包含用户名,不能使用常见密码或演示密码。
        </p>
        <Field id="pw-current" label="当前密码" errors={fields.currentPassword} className="field">
          <input
            id="pw-current"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            {...fieldAria('pw-current', fields.currentPassword)}
          />
        </Field>
        <Field id="pw-new" label="新密码" errors={fields.newPassword} className="field">
          <input
            id="pw-new"
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            {...fieldAria('pw-new', fields.newPassword)}
          />
        </Field>
        <Field id="pw-confirm" label="再次输入新密码" errors={fields.confirm} className="field">
          <input
            id="pw-confirm"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            {...fieldAria('pw-confirm', fields.confirm)}
          />
        </Field>
        {message && <div className="alert alert-error">{message}</div>}
        <div className="modal-actions">
          {!props.forced && props.onCancel && (
            <button type="button" className="btn btn-ghost" onClick={props.onCancel}>
              取消
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy || !current || !next}>
            {busy ? '正在保存…' : '保存新密码'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** The header's 修改密码 button. */
export function ChangePasswordButton() {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  return (
    <>
      <button className="btn btn-ghost" onClick={() => (setDone(false), setOpen(true))} title={done ? '密码已修改' : undefined}>
        修改密码
      </button>
      {open && (
        <PasswordDialog
          onDone={() => {
            setOpen(false);
            setDone(true);
          }}
          onCancel={() => setOpen(false)}
        />
      )}
    </>
  );
}
