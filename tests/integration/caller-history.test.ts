/** The calls feature as a seat sees it: a caller's earlier calls and "my calls" of a day, with their summaries. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallerHistory, MyCallsResponse } from '../../server/src/contract/index.js';
import { MIN, HOUR, SUMMARY, harness, api, data, error, answeredCall, abandonedCall, fileAndFinish } from './support-summaries.js';

describe("the caller's history (来电历史)", () => {
  const h = harness();
  const CALLER = '13912345678';
  beforeAll(async () => {
    answeredCall(h, 's01', 'h-1', CALLER);
    await fileAndFinish(h, 'h-1', 'seat01', 's01', { ...SUMMARY, topic: '第一次来电' });
    h.clock.advance(HOUR);
    abandonedCall(h, 'h-2', CALLER);
    h.clock.advance(HOUR);
    answeredCall(h, 's03', 'x-1', '13700000000'); // someone else
    await fileAndFinish(h, 'x-1', 'seat03', 's03');
    h.clock.advance(HOUR);
    answeredCall(h, 's02', 'h-3', CALLER, { keepTalking: true }); // the call on screen now
    h.clock.advance(MIN);
    abandonedCall(h, 'h-4', CALLER); // rings in again while h-3 goes on: later, not history
  });

  it("when the seat talking with the caller asks, should list the caller's earlier calls newest first with their summaries", async () => {
    const r = await api<CallerHistory>(h, 'GET', '/api/calls/h-3/history', 'seat02');

    const history = data(r);
    expect(history.callId).toBe('h-3');
    expect(history.total).toBe(2);
    expect(history.entries.map((e) => [e.record.callId, e.record.result, e.summary?.topic ?? null])).toEqual([
      ['h-2', 'abandoned-in-queue', null],
      ['h-1', 'answered', '第一次来电'],
    ]);
    expect(history.entries[1]!.summary).toMatchObject({ seatId: 's01', amendable: false });
    expect(history.entries.every((e) => e.record.callerMasked === '139****5678')).toBe(true);
  });

  it('should never contain the full caller number', async () => {
    const r = await api(h, 'GET', '/api/calls/h-3/history', 'seat02');

    expect(r.text).not.toContain(CALLER);
    expect(r.text).not.toContain('"caller":');
  });

  it('when a limit is given, should return that many of the newest and still count them all', async () => {
    const history = data(await api<CallerHistory>(h, 'GET', '/api/calls/h-3/history?limit=1', 'seat02'));

    expect(history.entries.map((e) => e.record.callId)).toEqual(['h-2']);
    expect(history.total).toBe(2);
  });

  it('when the limit is out of range, should answer 400 on limit', async () => {
    const r = await api(h, 'GET', '/api/calls/h-3/history?limit=51', 'seat02');

    expect(r.status).toBe(400);
    expect(error(r).fields).toEqual({ limit: ['条数最多为 50'] });
  });

  it('when a seat that has nothing to do with the call asks, should answer 404; a supervisor may', async () => {
    expect((await api(h, 'GET', '/api/calls/h-3/history', 'seat05')).status).toBe(404);
    expect(data(await api<CallerHistory>(h, 'GET', '/api/calls/h-3/history', 'supervisor')).total).toBe(2);
  });
});

describe('my calls (我的来电)', () => {
  const h = harness();
  beforeAll(async () => {
    answeredCall(h, 's05', 'm-1', '13600000001'); // Monday 10:00
    await fileAndFinish(h, 'm-1', 'seat05', 's05');
    h.clock.advance(2 * HOUR);
    answeredCall(h, 's05', 'm-2', '13600000002'); // Monday 12:00, summary not filed yet
    h.clock.advance(MIN);
    answeredCall(h, 's01', 'm-x', '13600000003'); // another seat's call
    await fileAndFinish(h, 'm-x', 'seat01', 's01');
    await fileAndFinish(h, 'm-2', 'seat05', 's05');
    h.clock.advance(20 * HOUR); // Tuesday 08:00
    answeredCall(h, 's05', 'm-3', '13600000004');
  });

  it("when no day is given, should list today's answered calls of the seat", async () => {
    const r = data(await api<MyCallsResponse>(h, 'GET', '/api/my/calls', 'seat05'));

    expect(r.day).toBe('2026-11-24');
    expect(r.entries.map((e) => [e.record.callId, e.summary])).toEqual([['m-3', null]]);
  });

  it("when a day is given, should list that day's calls the seat answered, newest first, with records and summaries", async () => {
    const r = data(await api<MyCallsResponse>(h, 'GET', '/api/my/calls?day=2026-11-23', 'seat05'));

    expect(r.day).toBe('2026-11-23');
    expect(r.entries.map((e) => e.record.callId)).toEqual(['m-2', 'm-1']);
    expect(r.entries.map((e) => e.summary?.seatId)).toEqual(['s05', 's05']);
    expect(r.entries[0]!.record).toMatchObject({ seatId: 's05', result: 'answered', callerMasked: '136****0002' });
    expect(r.entries.map((e) => e.summary?.amendable)).toEqual([false, false]); // filed yesterday
  });

  it('when the day is not a date, should answer 400 on day', async () => {
    const bad = await api(h, 'GET', '/api/my/calls?day=23.11.2026', 'seat05');
    const impossible = await api(h, 'GET', '/api/my/calls?day=2026-02-30', 'seat05');

    expect(bad.status).toBe(400);
    expect(error(bad).fields).toEqual({ day: ['日期须为 YYYY-MM-DD'] });
    expect(error(impossible).fields).toEqual({ day: ['没有 2026-02-30 这一天'] });
  });

  it("when a supervisor asks, should answer 403 (my calls are a seat's)", async () => {
    expect((await api(h, 'GET', '/api/my/calls', 'supervisor')).status).toBe(403);
  });
});
