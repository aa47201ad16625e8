import { QueueSubscribeSchema } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { ROOMS, on, type SocketHandler } from '../../transport/socket-handlers.js';
import type { ScopeService } from '../users/scope-service.js';
import { deltaRoom, type QueueFanoutService } from './queue-fanout-service.js';
import { queueSnapshot, scopedRoom, type LiveQueue } from './queue-views.js';

/**
 * Staff subscribe to the live queue: the snapshot now, then coalesced snapshots (or, asked for,
 * numbered deltas: features/queue/queue-fanout-service.ts) and major-matter alerts. Staff with centres in scope join their scope's room, which gets only those centres.
 */
export function queueSocketHandlers(queue: LiveQueue, clock: Clock, scope?: ScopeService, fanout?: QueueFanoutService): SocketHandler[] {
  return [
    on('queue:subscribe', QueueSubscribeSchema, 'queue:monitor', (p, ctx) => {
      const centres = scope?.centreList(ctx.user) ?? null;
      const set = centres === null ? null : new Set(centres);
      ctx.join(centres === null ? ROOMS.supervisors : scopedRoom(centres));
      if (p.deltas && fanout) {
        // With deltas: the scope's last pushed snapshot (numbered), then only what changes.
        ctx.join(deltaRoom(centres));
        return fanout.subscribe(set, clock.now());
      }
      return queueSnapshot(queue, clock.now(), set);
    }),
  ];
}
