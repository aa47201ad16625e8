import type { Ack, CallView, SeatStateView, SeatTodayView, SeatView } from '../../contract';
import { errorMessage, NETWORK_ERROR } from '../../shared/errors';
import type { SliceCreator } from '../../app/store-types';
import { assertNever } from '../../contract';

/** What the seat asked the server to do; buttons are disabled while one is in flight. */
export type SeatCommand = 'load' | 'ready' | 'not-ready' | 'offline' | 'extend' | 'end';

export interface SeatSlice {
  seat: SeatView | null;
  /** The call last offered to this seat; shown while the seat's state names it. */
  call: CallView | null;
  /** When this seat answered its current call; the call's wrap-up still shows talk time. */
  answered: { callId: string; at: number } | null;
  seatPending: SeatCommand | null;
  seatError: string | null;
  /** The seat's queue and its own day (GET /api/seats/me/today), with when it was read (local clock). */
  seatDay: SeatTodayView | null;
  /** Why the last read of the seat's day failed (the last figures stay shown). */
  seatDayError: string | null;

  applySeat: (seat: SeatView) => void;
  applyCall: (call: CallView) => void;
  /** Sends one seat command and applies its ack: the returned SeatView or an inline error. */
  runSeatCommand: (command: SeatCommand, send: () => Promise<Ack<SeatView>>) => Promise<Ack<SeatView>>;
  dismissSeatError: () => void;
  applySeatDay: (day: SeatTodayView | null, error: string | null) => void;
}

export const initialSeatState = {
  seat: null,
  call: null,
  answered: null,
  seatPending: null,
  seatError: null,
  seatDay: null,
  seatDayError: null,
} satisfies Partial<SeatSlice>;

export function callIdOf(state: SeatStateView): string | null {
  switch (state.kind) {
    case 'ringing':
    case 'talking':
    case 'wrap-up':
      return state.callId;
    case 'offline':
    case 'ready':
    case 'not-ready':
      return null;
    default:
      return assertNever(state, 'seat state');
  }
}

/**
 * Whether `incoming` is older than what we show. An ack and a 'seat:status-changed' push carry
 * the same change and may arrive in either order; a late one must not roll the display back.
 */
export function isStaleSeat(current: SeatView | null, incoming: SeatView): boolean {
  if (!current || current.id !== incoming.id) return false;
  const a = current.state;
  const b = incoming.state;
  if (b.since !== a.since) return b.since < a.since;
  if (a.kind === 'wrap-up' && b.kind === 'wrap-up') return b.extensions < a.extensions;
  return false;
}

export const createSeatSlice: SliceCreator<SeatSlice> = (set, get) => ({
  ...initialSeatState,

  applySeat: (seat) =>
    set((s) => {
      if (s.seat && s.seat.id !== seat.id) return {};
      if (isStaleSeat(s.seat, seat)) return {};
      // The call is kept as is: the page shows it only while the seat's state names it, and an
      // offer may arrive just before the seat's own change to 'ringing'.
      const st = seat.state;
      // A seat on another page (我的来电, 知识库) must not miss a call: a ringing offer brings it
      // back to the workbench.
      const back = st.kind === 'ringing' && s.seat?.state.kind !== 'ringing' && s.route !== 'seat' ? { route: 'seat' as const } : {};
      return st.kind === 'talking' ? { seat, answered: { callId: st.callId, at: st.since } } : { seat, ...back };
    }),

  applyCall: (call) =>
    set((s) => {
      // The server sends a seat only its own calls. While the seat is busy with one call, a late
      // update about another (an earlier, finished one) must not replace the card.
      const seatCallId = s.seat ? callIdOf(s.seat.state) : null;
      return seatCallId === null || seatCallId === call.id ? { call } : {};
    }),

  runSeatCommand: async (command, send) => {
    set({ seatPending: command, seatError: null });
    let ack: Ack<SeatView>;
    try {
      ack = await send();
    } catch {
      ack = { ok: false, error: NETWORK_ERROR };
    }
    if (ack.ok) {
      get().applySeat(ack.data);
      set({ seatPending: null });
    } else if (ack.error.code === 'UNAUTHENTICATED') {
      get().signedOut(errorMessage(ack.error));
    } else {
      set({ seatPending: null, seatError: errorMessage(ack.error) });
    }
    return ack;
  },

  dismissSeatError: () => set({ seatError: null }),

  applySeatDay: (day, error) => set((s) => ({ seatDay: day ?? s.seatDay, seatDayError: error })),
});
