import { EmptySchema } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { ROOMS, on, type SocketHandler } from '../../transport/socket-handlers.js';
import type { ScopeService } from '../users/scope-service.js';
import { queueSnapshot, scopedRoom, type LiveQueue } from './queue-views.js';

/**
 * Staff subscribe to the live queue: the snapshot now, then coalesced snapshots and major-matter
 * alerts. Staff with centres in scope join their scope's room, which gets only those centres.
 */
export function queueSocketHandlers(queue: LiveQueue, clock: Clock, scope?: ScopeService): SocketHandler[] {
  return [
    on('queue:subscribe', EmptySchema, 'queue:monitor', (_p, ctx) => {
      const centres = scope?.centreList(ctx.user) ?? null;
      ctx.join(centres === null ? ROOMS.supervisors : scopedRoom(centres));
      return queueSnapshot(queue, clock.now(), centres === null ? null : new Set(centres));
    }),
  ];
}
