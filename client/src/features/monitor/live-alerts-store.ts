import { createStore, useStore } from 'zustand';
import type { LiveAlert } from '../../contract';

interface LiveAlertsState {
  alerts: LiveAlert[];
  /** The whole list in scope, as pushed ('live-alerts:updated') or loaded. */
  replace: (alerts: LiveAlert[]) => void;
  /** One alert acknowledged (the push follows; this shows it at once). */
  acknowledged: (alert: LiveAlert) => void;
  clear: () => void;
}

/** Threshold alerts (告警) on the monitor: their own small store, cleared on sign-out (app/socket-bindings). */
export const liveAlerts = createStore<LiveAlertsState>()((set) => ({
  alerts: [],
  replace: (alerts) => set({ alerts }),
  acknowledged: (alert) => set((s) => ({ alerts: s.alerts.map((a) => (a.key === alert.key ? alert : a)) })),
  clear: () => set({ alerts: [] }),
}));

export const useLiveAlerts = () => useStore(liveAlerts, (s) => s.alerts);
