import type { Ack, MajorAlert } from '../../contract';
import { errorMessage, NETWORK_ERROR } from '../../shared/errors';
import type { SliceCreator } from '../../app/store-types';

export interface AlertsSlice {
  /** Open 重大事项上报 alerts, newest first. An acknowledged alert leaves the list. */
  alerts: MajorAlert[];
  /** Whether the open list was loaded since sign-in (pushes may arrive before it). */
  alertsLoaded: boolean;
  alertsError: string | null;
  /** Alerts whose 确认 is in flight. */
  alertAckPending: number[];
  /** Ids known to be acknowledged, so a load that was in flight meanwhile does not bring them back. */
  alertsAcknowledged: number[];

  /** A pushed alert: new ones join the list, an acknowledged one leaves it. */
  applyAlert: (alert: MajorAlert) => void;
  /** Loads the open alerts (GET /api/alerts?open=1) and merges them with what was pushed meanwhile. */
  loadOpenAlerts: (send: () => Promise<Ack<MajorAlert[]>>) => Promise<void>;
  /** 确认: acknowledges one alert through `send`. */
  ackAlert: (id: number, send: () => Promise<Ack<MajorAlert>>) => Promise<void>;
  dismissAlertsError: () => void;
}

export const initialAlertsState = {
  alerts: [] as MajorAlert[],
  alertsLoaded: false,
  alertsError: null,
  alertAckPending: [] as number[],
  alertsAcknowledged: [] as number[],
} satisfies Partial<AlertsSlice>;

const newestFirst = (a: MajorAlert, b: MajorAlert) => b.raisedAt - a.raisedAt || b.id - a.id;

/** Alerts name callers and notes: the sign-out reset (resetAll) clears them. */
export const createAlertsSlice: SliceCreator<AlertsSlice> = (set, get) => {
  const upsert = (alert: MajorAlert) =>
    set((s) => {
      if (alert.acknowledgedAt !== null) {
        const alertsAcknowledged = s.alertsAcknowledged.includes(alert.id) ? s.alertsAcknowledged : [...s.alertsAcknowledged, alert.id];
        return { alerts: s.alerts.filter((a) => a.id !== alert.id), alertsAcknowledged };
      }
      if (s.alertsAcknowledged.includes(alert.id)) return {};
      return { alerts: [alert, ...s.alerts.filter((a) => a.id !== alert.id)].sort(newestFirst) };
    });

  return {
    ...initialAlertsState,

    applyAlert: upsert,

    loadOpenAlerts: async (send) => {
      let ack: Ack<MajorAlert[]>;
      try {
        ack = await send();
      } catch {
        ack = { ok: false, error: NETWORK_ERROR };
      }
      if (!ack.ok) {
        if (ack.error.code === 'UNAUTHENTICATED') get().signedOut(errorMessage(ack.error));
        else set({ alertsError: `未能读取重大事项上报:${errorMessage(ack.error)}` });
        return;
      }
      const open = ack.data.filter((a) => a.acknowledgedAt === null && !get().alertsAcknowledged.includes(a.id));
      set((s) => {
        // The server's list is the truth for what it knew; pushes newer than it are kept.
        const loadedIds = new Set(open.map((a) => a.id));
        const newest = open.reduce((max, a) => Math.max(max, a.id), 0);
        const pushedSince = s.alerts.filter((a) => !loadedIds.has(a.id) && a.id > newest);
        return { alerts: [...open, ...pushedSince].sort(newestFirst), alertsLoaded: true, alertsError: null };
      });
    },

    ackAlert: async (id, send) => {
      if (get().alertAckPending.includes(id)) return;
      set((s) => ({ alertAckPending: [...s.alertAckPending, id], alertsError: null }));
      let ack: Ack<MajorAlert>;
      try {
        ack = await send();
      } catch {
        ack = { ok: false, error: NETWORK_ERROR };
      }
      set((s) => ({ alertAckPending: s.alertAckPending.filter((p) => p !== id) }));
      if (ack.ok) upsert(ack.data);
      else if (ack.error.code === 'UNAUTHENTICATED') get().signedOut(errorMessage(ack.error));
      else set({ alertsError: `确认失败:${errorMessage(ack.error)}` });
    },

    dismissAlertsError: () => set({ alertsError: null }),
  };
};
