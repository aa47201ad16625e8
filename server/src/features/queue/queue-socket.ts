import { EmptySchema } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { ROOMS, on, type SocketHandler } from '../../transport/socket-handlers.js';
import { queueSnapshot, type LiveQueue } from './queue-views.js';

/** Staff subscribe to the live queue: the snapshot now, then coalesced snapshots and major-matter alerts. */
export function queueSocketHandlers(queue: LiveQueue, clock: Clock): SocketHandler[] {
  return [
    on('queue:subscribe', EmptySchema, 'queue:monitor', (_p, ctx) => {
      ctx.join(ROOMS.supervisors);
      return queueSnapshot(queue, clock.now());
    }),
  ];
}
