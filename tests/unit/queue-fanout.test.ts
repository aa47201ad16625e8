import { describe, expect, it } from 'vitest';
import type { QueueDelta, QueueSnapshot } from '../../server/src/contract/index.js';
import { deltaRoom, QueueFanoutService } from '../../server/src/features/queue/queue-fanout-service.js';
import { queueSnapshot, scopedRoom, SeatWallViews, type LiveQueue } from '../../server/src/features/queue/queue-views.js';
import { SeatDayCounts } from '../../server/src/features/queue/seat-day-counts.js';
import type { Call } from '../../server/src/domain/call.js';
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

  it('a push builds views only for seats that changed and sends only those: a new state, profile, registration or day count', () => {
    const seats = ['a', 'b', 'c', 'd', 'e'].map((id) => seat(id, 'city'));
    const day = new Map<string, { answeredToday: number; missedToday: number }>();
    const q = live(seats);
    q.seatDay = (id) => day.get(id) ?? { answeredToday: 0, missedToday: 0 };
    const fanout = new QueueFanoutService(q);
    fanout.subscribe(null, T0);
    const rooms = { [deltaRoom(null)]: 2 };
    seats[0]!.state = { kind: 'ready', since: T0 + 1 };
    seats[1]!.profile = { ...seats[1]!.profile, name: 'renamed' };
    seats[2]!.registered = false;
    day.set('d', { answeredToday: 1, missedToday: 0 });
    const t = target(rooms);
    fanout.push(T0 + 100, t);
    expect(t.sent.deltas[0]?.delta.seats.map((s) => [s.id, s.state.kind, s.name, s.registered, s.answeredToday])).toEqual([
      ['a', 'ready', 'a', true, 0],
      ['b', 'offline', 'renamed', true, 0],
      ['c', 'offline', 'c', false, 0],
      ['d', 'offline', 'd', true, 1],
    ]);
    const quiet = target(rooms);
    fanout.push(T0 + 200, quiet);
    expect(quiet.sent.deltas).toEqual([]);
  });

  it('reuses a seat view while the seat is unchanged, and a recheck catches a seat edited in place', () => {
    const s = seat('a', 'city');
    const q = live([s]);
    const views = new SeatWallViews();
    const v1 = views.view(q, s);
    expect(views.view(q, s)).toBe(v1);
    (s.state as { since: number }).since = T0 + 5; // edited in place: the identity check cannot see it
    expect(views.view(q, s)).toBe(v1);
    views.recheck();
    const v2 = views.view(q, s);
    views.done();
    expect(v2).not.toBe(v1);
    expect(v2.state.since).toBe(T0 + 5);
    expect(views.view(q, s)).toBe(v2);
    expect(queueSnapshot(q, T0, null, views).seats[0]).toBe(v2);
  });
});

describe("seat wall's day counts", () => {
  const answered = (id: string, seatId: string, at: number) => ({ id, events: [{ type: 'answered', at, seatId }] }) as unknown as Call;

  it('start again at local midnight, and follow a change of the configured offset', () => {
    let now = Date.UTC(2026, 10, 23, 15, 0); // 23:00 in UTC+8
    let offset = 480;
    const counts = new SeatDayCounts(
      () => now,
      () => offset,
    );
    counts.observe(answered('c1', 's1', now));
    expect(counts.counts('s1')).toEqual({ answeredToday: 1, missedToday: 0 });
    now += 59 * 60_000; // 23:59
    expect(counts.counts('s1').answeredToday).toBe(1);
    now += 60_000; // 00:00 the next day
    expect(counts.counts('s1').answeredToday).toBe(0);
    counts.observe(answered('c2', 's1', now));
    expect(counts.counts('s1').answeredToday).toBe(1);
    offset = 0; // the same instant is 16:00 of the previous day in UTC
    expect(counts.counts('s1').answeredToday).toBe(0);
  });
});
