import './seat-messages.css';
import { formatClock } from '../../shared/format';
import { seatMessages, useSeatMessages } from './messages-store';

/** 班长消息 in the seat console: a toast per message until the seat closes it. */
export function SupervisorMessageToast() {
  const messages = useSeatMessages();
  if (messages.length === 0) return null;
  return (
    <div className="supervisor-toasts" aria-live="assertive" aria-label="班长消息">
      {messages.map((m) => (
        <div key={m.id} className="supervisor-toast" role="alert">
          <div className="supervisor-toast-head">
            <b>班长消息</b>
            <span className="muted small">
              {m.fromName} · {formatClock(m.at)}
            </span>
            <button type="button" className="link" onClick={() => seatMessages.getState().dismiss(m.id)} aria-label="关闭班长消息">
              知道了
            </button>
          </div>
          <p className="supervisor-toast-text">{m.text}</p>
        </div>
      ))}
    </div>
  );
}
