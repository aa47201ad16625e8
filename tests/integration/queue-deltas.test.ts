/**
 * Live-queue deltas (issue 12 item 7) against a real server: a supervisor who subscribes with
 * `deltas` gets numbered pushes of what changed in its scope; one that misses a push sees the
 * gap, subscribes again and continues from the new snapshot to the same state a whole snapshot
 * shows. Whole-snapshot subscribers still get 'queue:updated'; a county supervisor's deltas hold
 * only its centre.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { QueueDelta, QueueSnapshot } from '../../server/src/contract/index.js';
import { applyQueueDelta } from '../../client/src/features/monitor/queue-delta.js';
import { connect, emit, login, next, type ClientSocket } from '../support/server.js';
import { harness } from './support-summaries.js';
import { useCentreTrunks } from './support-accounts.js';

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

describe('live queue deltas', () => {
  const h = harness();
  beforeAll(async () => {
    h.cookies['supervisor-dc'] = await login(h.srv.url, 'supervisor-dc');
    useCentreTrunks(h);
  });
  const engine = () => h.srv.app.engine;
  async function subscriber(user: string, deltas: boolean): Promise<{ socket: ClientSocket; snap: QueueSnapshot }> {
    const socket = await connect(h.srv.url, h.cookies[user]!);
    h.sockets.push(socket);
    const ack = await emit(socket, 'queue:subscribe', deltas ? { deltas: true } : {});
    if (!ack.ok) throw new Error(ack.error.message);
    return { socket, snap: ack.data };
  }
  /** The next delta after a change, pushed when the server's coalescing timer runs. */
  async function change(socket: ClientSocket, act: () => void): Promise<QueueDelta> {
    const pushed = next(socket, 'queue:changed');
    act();
    h.clock.advance(1000);
    return pushed;
  }

  it('a client that misses a delta sees the gap, subscribes again and ends at the state a whole snapshot shows', async () => {
    const { socket, snap } = await subscriber('supervisor', true);
    const whole = await subscriber('supervisor', false);
    let wholePushes = 0;
    whole.socket.on('queue:updated', () => wholePushes++);
    let deltasToWhole = 0;
    whole.socket.on('queue:changed', () => deltasToWhole++);
    let wholeToDeltas = 0;
    socket.on('queue:updated', () => wholeToDeltas++);
    expect(snap.seq).toBeTypeOf('number');

    const d1 = await change(socket, () => engine().setSeatNotReady('s05', 'rest'));
    expect(d1).toMatchObject({ base: snap.seq, seq: snap.seq! + 1, calls: [], removedSeats: [], removedCalls: [] });
    expect(d1.seats.map((s) => [s.id, s.state.kind])).toEqual([['s05', 'not-ready']]);

    // d1 is "lost": the next delta does not follow the snapshot
    const d2 = await change(socket, () => engine().offerCall({ id: 'dq-1', caller: '13700000001', dialed: '12348', trunk: null }));
    expect(d2.base).toBe(d1.seq);
    expect(d2.calls.map((c) => c.id)).toEqual(['dq-1']);
    expect(applyQueueDelta(snap, d2)).toBe('gap');

    const again = await emit(socket, 'queue:subscribe', { deltas: true });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.data.seq).toBe(d2.seq);
    expect(again.data.calls.map((c) => c.id)).toContain('dq-1');
    expect(again.data.seats.find((s) => s.id === 's05')?.state.kind).toBe('not-ready');

    const d3 = await change(socket, () => engine().hangup('dq-1', 'caller'));
    expect(d3).toMatchObject({ base: d2.seq, removedCalls: ['dq-1'] });
    const shown = applyQueueDelta(again.data, d3);
    if (typeof shown === 'string') throw new Error(shown);
    const truth = await emit(whole.socket, 'queue:subscribe', {});
    if (!truth.ok) throw new Error(truth.error.message);
    expect(ids(shown.calls)).toEqual(ids(truth.data.calls));
    expect(shown.seats.slice().sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      truth.data.seats.slice().sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(wholePushes).toBeGreaterThanOrEqual(3);
    expect(deltasToWhole).toBe(0);
    expect(wholeToDeltas).toBe(0);
  });

  it('a change after a quiet spell is pushed at once; the changes of a busy spell wait for the interval and go in one push', async () => {
    const { socket } = await subscriber('supervisor', true);
    h.clock.advance(1000); // quiet
    const first = next(socket, 'queue:changed');
    engine().setSeatNotReady('s07', 'rest');
    h.clock.advance(0); // no time passes: the push goes out right after the command
    expect((await first).seats.map((s) => s.id)).toEqual(['s07']);
    const second = next(socket, 'queue:changed');
    engine().setSeatNotReady('s08', 'rest');
    h.clock.advance(50);
    engine().setSeatNotReady('s09', 'rest');
    h.clock.advance(50); // the interval (100 ms) since the last push is over
    expect((await second).seats.map((s) => s.id).sort()).toEqual(['s08', 's09']);
  });

  it("a county supervisor's deltas hold only its centre's seats; a change elsewhere pushes it nothing", async () => {
    const dc = await subscriber('supervisor-dc', true);
    const city = await subscriber('supervisor', true);
    let dcDeltas = 0;
    dc.socket.on('queue:changed', () => dcDeltas++);
    const d = await change(city.socket, () => engine().setSeatNotReady('s04', 'rest'));
    expect(d.seats.map((s) => s.id)).toEqual(['s04']);
    expect(dcDeltas).toBe(0);
    const dcSeat = dc.snap.seats[0]!.id;
    const pushed = next(dc.socket, 'queue:changed');
    engine().setSeatNotReady(dcSeat, 'rest');
    h.clock.advance(1000);
    const mine = await pushed;
    expect(mine.seats.map((s) => s.id)).toEqual([dcSeat]);
    expect(mine.seats.every((s) => s.centreId === 'dongcheng')).toBe(true);
  });
});
