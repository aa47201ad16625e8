import { flagLabel, GREEN_CHANNEL_FLAGS, isGreenChannel } from '../labels';

/** Caller flags as badges; elderly/disabled callers lead with a 绿色通道 badge. */
export function FlagBadges({ flags }: { flags: readonly string[] }) {
  if (flags.length === 0) return <span className="muted">—</span>;
  return (
    <span className="badges">
      {isGreenChannel(flags) && <span className="badge badge-green">绿色通道</span>}
      {flags.map((f) => (
        <span key={f} className={GREEN_CHANNEL_FLAGS.includes(f) ? 'badge badge-green-soft' : 'badge'}>
          {flagLabel(f)}
        </span>
      ))}
    </span>
  );
}
