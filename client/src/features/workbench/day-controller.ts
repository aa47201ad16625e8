import type { Ack, SeatTodayView } from '../../contract';
import { errorMessage, NETWORK_ERROR } from '../../shared/errors';
import type { AppStore } from '../../app/store';

export interface SeatDayDeps {
  load: () => Promise<Ack<SeatTodayView>>;
  store: AppStore;
}

export interface SeatDayController {
  /** Reads the seat's queue and day now; one read at a time (a second call while one runs is dropped). */
  refresh: () => Promise<void>;
}

/** The only code that asks the server for the seat's day (GET /api/seats/me/today). */
export function createSeatDayController(deps: SeatDayDeps): SeatDayController {
  let running = false;
  return {
    async refresh() {
      if (running) return;
      running = true;
      try {
        const ack = await deps.load().catch((): Ack<SeatTodayView> => ({ ok: false, error: NETWORK_ERROR }));
        const s = deps.store.getState();
        if (ack.ok) s.applySeatDay(ack.data, null);
        else if (ack.error.code !== 'UNAUTHENTICATED') s.applySeatDay(null, errorMessage(ack.error));
      } finally {
        running = false;
      }
    },
  };
}
