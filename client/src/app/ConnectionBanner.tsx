import { useAppStore } from './store';

/** A visible line while the live connection is down: timers and states may be stale then. */
export function ConnectionBanner() {
  const connection = useAppStore((s) => s.connection);
  if (connection === 'online' || connection === 'idle') return null;
  const text = connection === 'connecting' ? '正在连接实时服务…' : '与服务器的实时连接已断开,正在重新连接,页面数据可能不是最新';
  return (
    <div className={`banner banner-${connection}`} role="status">
      {text}
    </div>
  );
}
