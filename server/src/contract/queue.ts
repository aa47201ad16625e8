/** The live queue a supervisor watches ('queue:subscribe', then every change pushed). */
import type { CallView } from './calls.js';
import type { LiveAlert } from './live-alerts.js';
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

/**
 * A call in the live queue: what the seat sees, plus how far routing has gone with it (the
 * server always sends both; optional so a plain CallView still reads as one).
 */
export interface QueueCallView extends CallView {
  /** Expansion step reached (0 initial, 1 lower proficiency, 2 general, 3 other centre). */
  step?: number;
  /** The seats offered this call so far, in order (a seat may appear twice: a re-offer). */
  offeredTo?: string[];
}

/** A seat on the supervisor's wall: its live state and its day so far (always sent by the server). */
export interface SeatWallView extends SeatView {
  /** Calls this seat answered since local midnight. */
  answeredToday?: number;
  /** Offers this seat let ring out or declined since local midnight. */
  missedToday?: number;
}

export interface QueueSnapshot {
  at: number;
  /** The scope's push sequence number this snapshot stands at (subscribers that asked for deltas). */
  seq?: number;
  service: ServiceStatus;
  seats: SeatWallView[];
  calls: QueueCallView[];
  /** Threshold alerts in scope now (also pushed alone by 'live-alerts:updated' when they change). */
  alerts?: LiveAlert[];
}

/**
 * 'queue:changed': what changed in the subscriber's scope since push `base`: seats and calls
 * changed or added (whole views), ids gone, and the service status and alerts when they changed.
 * A client whose last applied push is not `base` missed one and subscribes again (a snapshot).
 */
export interface QueueDelta {
  seq: number;
  base: number;
  at: number;
  service?: ServiceStatus;
  alerts?: LiveAlert[];
  seats: SeatWallView[];
  calls: QueueCallView[];
  removedSeats: string[];
  removedCalls: string[];
}
