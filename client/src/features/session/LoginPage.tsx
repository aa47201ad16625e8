import { useState, type FormEvent } from 'react';
import { session } from '../../app/root';
import { parseHash } from '../../shared/routes';
import { useAppStore } from '../../app/store';
import { fieldAria, WrappedField } from '../../shared/components/Field';

export function LoginPage() {
  const login = useAppStore((s) => s.login);
  const notice = useAppStore((s) => s.notice);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void session.login({ username, password }, parseHash(window.location.hash));
  };
  const userErr = login.fields.username;
  const passErr = login.fields.password;

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={onSubmit} noValidate>
        <div className="login-brand">
          <span className="brand-mark">12348</span>
          <div>
            <h1>公共法律服务热线</h1>
            <p className="muted">坐席与监控工作台</p>
          </div>
        </div>

        {notice && !login.message && <div className="alert alert-info">{notice}</div>}
        {login.message && (
          <div className="alert alert-error" role="alert">
            {login.message}
          </div>
        )}

        <WrappedField label="用户名" errors={userErr} errorsFor="username">
          <input
            name="username"
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            {...fieldAria('username', userErr)}
          />
        </WrappedField>

        <WrappedField label="密码" errors={passErr} errorsFor="password">
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            {...fieldAria('password', passErr)}
          />
        </WrappedField>

        <button className="btn btn-primary btn-block" type="submit" disabled={login.submitting}>
          {login.submitting ? '正在登录…' : '登录'}
        </button>
        <p className="login-foot muted">请勿泄露当事人隐私信息 · 全年 7×24 小时服务</p>
      </form>
    </div>
  );
}
