import { describe, expect, it } from 'vitest';
import type { QueueDelta, QueueSnapshot } from '../../server/src/contract/index.js';
import { deltaRoom, QueueFanoutService } from '../../server/src/features/queue/queue-fanout-service.js';
import { scopedRoom, type LiveQueue } from '../../server/src/features/queue/queue-views.js';
import { DEFAULT_ROUTING_CONFIG } from '../../server/src/domain/policy.js';
import type { Seat } from '../../server/src/domain/seat.js';

const T0 = Date.UTC(2026, 10, 23, 2, 0);

function seat(id: string, centreId: string, kind: 'ready' | 'offline' = 'offline'): Seat {
  return {
    profile: { id, name: id, staffNo: id, centreId, skills: { general: 3 }, languages: ['zh'] },
    state: kind === 'ready' ? { kind, since: T0 } : { kind, since: T0 },
    registered: true,
    missedAt: [],
  };
}

/** A live queue that counts how often a push reads the seats (once per scope built). */
function live(seats: Seat[]) {
  const q = { builds: 0, seats } as { builds: number; seats: Seat[] } & LiveQueue;
  Object.assign(q, {
    config: DEFAULT_ROUTING_CONFIG,
    listSeats: () => {
      q.builds++;
      return q.seats;
    },
    activeCalls: () => [],
  });
  return q;
}

function target(rooms: Record<string, number>) {
  const sent = {
    snapshots: [] as { room: string; except: string; snap: QueueSnapshot }[],
    deltas: [] as { room: string; delta: QueueDelta }[],
  };
  return {
    sent,
    rooms: new Map(Object.entries(rooms).map(([r, size]) => [r, { size }])),
    snapshot: (room: string, except: string, snap: QueueSnapshot) => sent.snapshots.push({ room, except, snap }),
    delta: (room: string, delta: QueueDelta) => sent.deltas.push({ room, delta }),
  };
}

describe('queue fan-out', () => {
  it('builds each scope once per push, whatever the number of rooms and sockets, and sends each scope only its seats', () => {
    const q = live([seat('a', 'city'), seat('b', 'dongcheng')]);
    const fanout = new QueueFanoutService(q);
    fanout.subscribe(null, T0);
    fanout.subscribe(new Set(['dongcheng']), T0);
    q.seats = [seat('a', 'city', 'ready'), seat('b', 'dongcheng', 'ready')];
    q.builds = 0;
    const t = target({
      supervisors: 300,
      [deltaRoom(null)]: 200,
      [scopedRoom(['dongcheng'])]: 50,
      [deltaRoom(['dongcheng'])]: 50,
      'seat:a': 1,
    });
    fanout.push(T0 + 200, t);
    expect(q.builds).toBe(2);
    // whole snapshots to the all-centre room's members without deltas; the county room has none such
    expect(t.sent.snapshots.map((s) => [s.room, s.except])).toEqual([['supervisors', deltaRoom(null)]]);
    expect(t.sent.deltas.map((d) => [d.room, d.delta.seats.map((s) => s.id), d.delta.base, d.delta.seq])).toEqual([
      [deltaRoom(null), ['a', 'b'], 0, 1],
      [deltaRoom(['dongcheng']), ['b'], 0, 1],
    ]);
  });

  it('sends nothing when nothing changed, starts a late subscriber from the last push, and forgets a scope nobody follows', () => {
    const q = live([seat('a', 'city')]);
    const fanout = new QueueFanoutService(q);
    fanout.subscribe(null, T0);
    const rooms = { [deltaRoom(null)]: 1, supervisors: 1 };
    const t1 = target(rooms);
    fanout.push(T0 + 200, t1);
    expect(t1.sent.deltas).toEqual([]);
    q.seats = [];
    const t2 = target(rooms);
    fanout.push(T0 + 400, t2);
    expect(t2.sent.deltas[0]?.delta).toMatchObject({ seq: 1, base: 0, removedSeats: ['a'], seats: [] });
    expect(fanout.subscribe(null, T0 + 500)).toMatchObject({ seq: 1, at: T0 + 400, seats: [] });
    fanout.push(T0 + 600, target({ supervisors: 1 }));
    expect(fanout.subscribe(null, T0 + 700)).toMatchObject({ seq: 0, at: T0 + 700 });
  });
});
