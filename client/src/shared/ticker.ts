import { useSyncExternalStore } from 'react';
import { useAppStore } from '../app/store';

/**
 * One shared 1 s clock for every running timer on the page. It runs from load on, so the
 * first timer to mount (perhaps minutes after the login page) reads a fresh time.
 */
let now = Date.now();
const listeners = new Set<() => void>();
setInterval(() => {
  now = Date.now();
  for (const l of listeners) l();
}, 1000);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const getSnapshot = () => now;

/** The server's "now" (browser clock plus the measured offset), re-rendering every second. */
export function useServerNow(): number {
  const local = useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
  const offset = useAppStore((s) => s.clockOffsetMs);
  return local + offset;
}
