/** The live queue a supervisor watches ('queue:subscribe', then every change pushed). */
import type { CallView } from './calls.js';
import type { SeatView } from './seats.js';

/** The service calendar's word on now: open or not, and the seats planned for the period. */
export interface ServiceStatus {
  open: boolean;
  plannedSeats: number;
  /** Local HH:MM bounds of the current period, when open. */
  period: { from: string; to: string } | null;
  holiday: string | null;
  /** The service-level threshold T in seconds (answer target). */
  answerTargetS: number;
}

export interface QueueSnapshot {
  at: number;
  service: ServiceStatus;
  seats: SeatView[];
  calls: CallView[];
}
