/**
 * Who sees a caller's earlier calls (issue 11 item 5): a seat during the call it handles (never
 * another seat's 重大事项 note), after it only its own calls; a caller who asked for
 * confidentiality (保密) stays out of other seats' screen pops and out of the call records, and a
 * supervisor reads that summary only with a reason, which the audit log keeps.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse, CallListResponse, CallerHistory, SummaryState } from '../../server/src/contract/index.js';
import { HOUR, SUMMARY, T0, answeredCall, api, data, error, fileAndFinish, harness } from './support-summaries.js';

describe('caller history rules', () => {
  const h = harness();
  const CALLER = '13911112222';
  beforeAll(async () => {
    answeredCall(h, 's01', 'r-1', CALLER);
    await fileAndFinish(h, 'r-1', 'seat01', 's01', { ...SUMMARY, topic: '一号的来电', riskFlag: true, riskNote: '扬言报复雇主' });
    h.clock.advance(HOUR);
    answeredCall(h, 's02', 'r-2', CALLER);
    await fileAndFinish(h, 'r-2', 'seat02', 's02', { ...SUMMARY, topic: '二号的来电' });
    h.clock.advance(HOUR);
    answeredCall(h, 's02', 'r-3', CALLER, { keepTalking: true }); // seat02 handles this one now
  });

  it("during the call, the seat sees the caller's earlier calls, but not another seat's 重大事项 note", async () => {
    const r = await api<CallerHistory>(h, 'GET', '/api/calls/r-3/history', 'seat02');
    const history = data(r);
    expect(history.entries.map((e) => e.summary?.topic)).toEqual(['二号的来电', '一号的来电']);
    const other = history.entries[1]!.summary!;
    expect(other.riskFlag).toBe(true);
    expect(other.riskNote).toBe('');
    expect(r.text).not.toContain('扬言报复雇主');
  });

  it('the author still reads its own note, and a supervisor reads it', async () => {
    const own = data(await api<SummaryState>(h, 'GET', '/api/calls/r-1/summary', 'seat01'));
    expect(own.summary?.riskNote).toBe('扬言报复雇主');
    const sup = data(await api<SummaryState>(h, 'GET', '/api/calls/r-1/summary', 'supervisor'));
    expect(sup.summary?.riskNote).toBe('扬言报复雇主');
  });

  it("after the call, the seat sees only its own earlier calls of that caller (no other seat's)", async () => {
    h.srv.app.engine.hangup('r-3', 'caller');
    await fileAndFinish(h, 'r-3', 'seat02', 's02');
    const r = await api<CallerHistory>(h, 'GET', '/api/calls/r-3/history', 'seat02');
    const history = data(r);
    expect(history.entries.map((e) => e.record.callId)).toEqual(['r-2']);
    expect(history.total).toBe(1);
    expect(r.text).not.toContain('一号的来电');
  });

  it("a seat that once answered the caller learns nothing of the caller's later calls elsewhere", async () => {
    // seat01 answered r-1; asking for r-1's history gives nothing (there is no earlier call) and r-3's is not its call.
    expect(data(await api<CallerHistory>(h, 'GET', '/api/calls/r-1/history', 'seat01')).entries).toEqual([]);
    expect((await api(h, 'GET', '/api/calls/r-3/history', 'seat01')).status).toBe(404);
  });
});

describe('保密 (confidential) callers', () => {
  const h = harness();
  const CALLER = '13733334444';
  beforeAll(async () => {
    answeredCall(h, 's01', 'c-1', CALLER);
    await fileAndFinish(h, 'c-1', 'seat01', 's01', { ...SUMMARY, topic: '家暴求助', confidential: true });
    h.clock.advance(HOUR);
    answeredCall(h, 's03', 'c-0', CALLER); // an ordinary earlier call to another seat
    await fileAndFinish(h, 'c-0', 'seat03', 's03', { ...SUMMARY, topic: '普通咨询' });
    h.clock.advance(HOUR);
    answeredCall(h, 's02', 'c-2', CALLER, { keepTalking: true });
  });

  it('the summary says so', async () => {
    expect(data(await api<SummaryState>(h, 'GET', '/api/calls/c-1/summary', 'seat01')).summary?.confidential).toBe(true);
    expect(data(await api<SummaryState>(h, 'GET', '/api/calls/c-0/summary', 'seat03')).summary).not.toHaveProperty('confidential');
  });

  it("another seat's screen pop shows none of the caller's calls with other seats, nor the topic", async () => {
    const r = await api<CallerHistory>(h, 'GET', '/api/calls/c-2/history', 'seat02');
    expect(data(r).entries).toEqual([]);
    expect(r.text).not.toContain('家暴求助');
  });

  it('the seat that took the confidential call sees it in its own screen pop of a later call', async () => {
    h.srv.app.engine.hangup('c-2', 'caller');
    await fileAndFinish(h, 'c-2', 'seat02', 's02');
    h.clock.advance(HOUR);
    answeredCall(h, 's01', 'c-3', CALLER, { keepTalking: true });
    const history = data(await api<CallerHistory>(h, 'GET', '/api/calls/c-3/history', 'seat01'));
    expect(history.entries.map((e) => [e.record.callId, e.summary?.topic])).toEqual([
      ['c-2', '欠薪'],
      ['c-0', '普通咨询'],
      ['c-1', '家暴求助'],
    ]);
  });

  it('the call records (the export) withhold the number of a confidential call', async () => {
    const list = data(await api<CallListResponse>(h, 'GET', `/api/calls?from=${T0 - HOUR}&to=${T0 + 24 * HOUR}`, 'supervisor'));
    expect(list.records.find((r) => r.callId === 'c-1')?.callerMasked).toBe('保密');
    expect(list.records.find((r) => r.callId === 'c-0')?.callerMasked).toBe('137****4444');
  });

  it('a supervisor reads a confidential summary only with a reason, and the reason is in the audit log', async () => {
    const refused = await api(h, 'GET', '/api/calls/c-1/summary', 'supervisor');
    expect(refused.status).toBe(403);
    expect(error(refused).message).toMatch(/保密/);
    expect(refused.text).not.toContain('家暴求助');
    expect((await api(h, 'GET', `/api/calls/c-1/summary?reason=${encodeURIComponent('好')}`, 'supervisor')).status).toBe(403);

    const reason = '质检抽查 2026-11 第 3 批';
    const read = data(await api<SummaryState>(h, 'GET', `/api/calls/c-1/summary?reason=${encodeURIComponent(reason)}`, 'supervisor'));
    expect(read.summary?.topic).toBe('家暴求助');

    h.cookies.admin ??= await (await import('../support/server.js')).login(h.srv.url, 'admin');
    const log = data(await api<AuditListResponse>(h, 'GET', '/api/audit?action=summary.confidential-read', 'admin'));
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({ username: 'supervisor', role: 'supervisor', target: 'call:c-1', reason });
    expect(log.entries[0]!.address).toMatch(/127\.0\.0\.1/);
  });

  it("the supervisor's history view shows that a call is confidential, not its content", async () => {
    const r = await api<CallerHistory>(h, 'GET', '/api/calls/c-3/history', 'supervisor');
    const c1 = data(r).entries.find((e) => e.record.callId === 'c-1')!;
    expect(c1.summary?.confidential).toBe(true);
    expect(c1.record.callerMasked).toBe('保密');
    expect(r.text).not.toContain('家暴求助');
  });
});
