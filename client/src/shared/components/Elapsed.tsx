import { formatCountdown, formatElapsed } from '../format';
import { useServerNow } from '../ticker';

/** A running "mm:ss" since `since` (server clock). */
export function Elapsed({ since, className }: { since: number; className?: string }) {
  const now = useServerNow();
  return (
    <span className={className} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatElapsed(since, now)}
    </span>
  );
}

/** A "mm:ss" counting down to `until` (server clock), stopping at 00:00. */
export function Countdown({ until, className }: { until: number; className?: string }) {
  const now = useServerNow();
  return (
    <span className={className} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatCountdown(until, now)}
    </span>
  );
}
