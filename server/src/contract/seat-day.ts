/** A seat's own view of its queue and its day (GET /api/seats/me/today). */

export interface SeatTodayView {
  /** Server time the figures were taken at. */
  at: number;
  /** The local day (YYYY-MM-DD) the day's figures cover. */
  day: string;
  /** Callers waiting now in this seat's specialties whom the routing rules could offer to it (centre rules included). */
  queue: { waiting: number; oldestEnqueuedAt: number | null };
  /** Calls this seat answered today. */
  answered: number;
  /** Offers that rang out at this seat today (未接). */
  missed: number;
  /** Offers this seat declined today (拒接). */
  declined: number;
  /** Talk time of today's answered calls (holds excluded), ms; a call still talking counts up to `at`. */
  talkMs: number;
}
