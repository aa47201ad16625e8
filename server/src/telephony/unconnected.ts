import type { Logger } from 'pino';
import type { TelephonyPort } from '../domain/engine.js';

/**
 * The telephony port used until the Kamailio/evapi adapter is configured: no call
 * can arrive, so the engine never asks it anything in practice; if it does, the
 * request is logged loudly instead of being silently dropped.
 */
export function unconnectedTelephony(logger: Logger): TelephonyPort {
  return {
    ring: (call, seatId) => logger.warn({ callId: call.id, seatId }, 'no telephony connected: cannot ring seat'),
    overflow: (call, target) => logger.warn({ callId: call.id, target }, 'no telephony connected: cannot overflow call'),
    cancelRing: (call, seatId) => logger.warn({ callId: call.id, seatId }, 'no telephony connected: cannot cancel ring'),
  };
}
