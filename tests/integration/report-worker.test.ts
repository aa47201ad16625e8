/**
 * Reports never hold the router (issue 13): a month's report over 150,000 calls runs in the report
 * worker while a seat goes ready and a call is routed to it over the real Socket.IO path; the
 * routing decision is served first, then the report completes with every call counted.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnableEntry } from '../../server/src/features/shared/process-entry.js';
import type { Ack, ReportView } from '../../server/src/contract/index.js';
import { connect, emit, login, next, startTestServer, type ClientSocket, type TestServer } from '../support/server.js';

const CALLS = 150_000;
const OCT_1 = Date.UTC(2026, 9, 1) - 8 * 3_600_000; // 2026-10-01 00:00 +08:00

let srv: TestServer;
let seat: ClientSocket;

beforeAll(async () => {
  srv = await startTestServer();
  const insert = srv.db.prepare(`INSERT INTO call_facts (call_id, enqueued_at, centre_id, category_id, seat_id, answered_at,
    ended_at, result, wait_ms, talk_ms, hold_ms, holds, wrap_ms, offers, overflow_trigger, overflow_target, hung_up_by, missed_by,
    transferred_from, disposition, major) VALUES (?, ?, 'city', 'labor', 's01', ?, ?, 'answered', 8000, 120000, 0, 0, 30000, 1,
    NULL, NULL, 'caller', '', NULL, NULL, 0)`);
  srv.db.transaction(() => {
    for (let i = 0; i < CALLS; i++) {
      const at = OCT_1 + Math.floor((i * 31 * 86_400_000) / CALLS);
      insert.run(`hist-${i}`, at, at + 8000, at + 128_000);
    }
  })();
  seat = await connect(srv.url, await login(srv.url, 'seat02'));
});
afterAll(async () => {
  seat?.disconnect();
  await srv?.stop();
});

describe('the report worker', () => {
  it('a call is routed to a seat while a month report is computed; the report then completes', async () => {
    const manager = await login(srv.url, 'manager');
    const order: string[] = [];
    const before = srv.app.reportOffload.started;
    const report = fetch(`${srv.url}/api/reports/figures?from=2026-10-01&to=2026-10-31`, { headers: { cookie: manager } }).then(
      async (res) => {
        order.push('report');
        return (await res.json()) as Ack<ReportView>;
      },
    );
    // Wait until the router has handed the report to the worker.
    while (srv.app.reportOffload.started === before) await new Promise((r) => setImmediate(r));

    expect((await emit(seat, 'seat:set-status', { status: 'ready' })).ok).toBe(true);
    const offered = next(seat, 'call:offered');
    srv.app.engine.offerCall({ id: 'during-report', caller: '13812345678', dialed: '123482', ivrCode: '2' });
    expect((await offered).id).toBe('during-report');
    order.push('routed');

    const r = await report;
    expect(order).toEqual(['routed', 'report']);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.data.total.entered).toBe(CALLS);
      expect(r.data.total.answered).toBe(CALLS);
      expect(r.data.byDay).toHaveLength(31);
    }
  });

  it('a worker that dies fails its request, and the next request gets a new worker', async () => {
    const manager = await login(srv.url, 'manager');
    const started = srv.app.reportOffload.started;
    const pending = fetch(`${srv.url}/api/reports/figures?from=2026-10-01&to=2026-10-31`, { headers: { cookie: manager } });
    while (srv.app.reportOffload.started === started) await new Promise((r) => setImmediate(r));
    await srv.app.reportOffload.close(); // as if the worker had crashed
    const failed = await pending;
    expect(failed.status).toBe(500);
    const again = (await (
      await fetch(`${srv.url}/api/reports/figures?from=2026-10-01&to=2026-10-01`, { headers: { cookie: manager } })
    ).json()) as Ack<ReportView>;
    expect(again.ok && again.data.total.entered).toBeGreaterThan(0);
  });

  it('is a process of its own, at a lower CPU priority than the router', async () => {
    const manager = await login(srv.url, 'manager');
    const res = await fetch(`${srv.url}/api/reports/figures?from=2026-10-01&to=2026-10-01`, { headers: { cookie: manager } });
    expect(res.status).toBe(200);
    const pid = srv.app.reportOffload.workerPid;
    expect(pid).not.toBeNull();
    expect(pid).not.toBe(process.pid);
    expect(os.getPriority(pid!)).toBeGreaterThan(os.getPriority(process.pid));
  });

  it('a worker killed (kill -9) in the middle of an export ends that download short; the next export is whole', async () => {
    const manager = await login(srv.url, 'manager');
    const url = `${srv.url}/api/reports/export/calls.csv?from=2026-10-01&to=2026-10-31`;
    const res = await fetch(url, { headers: { cookie: manager } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false); // the first bytes are here: the export is running
    process.kill(srv.app.reportOffload.workerPid!, 'SIGKILL');
    let bytes = 0;
    const ended = await (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return 'complete';
          bytes += value.byteLength;
        }
      } catch {
        return 'cut';
      }
    })();
    expect(ended).toBe('cut');
    expect(bytes).toBeLessThan(CALLS * 100);

    const whole = await (await fetch(url, { headers: { cookie: manager } })).text();
    expect(whole.trimEnd().split('\r\n')).toHaveLength(CALLS + 1);
  });

  it('ends when its router goes away (the IPC channel closes)', async () => {
    const child = fork(runnableEntry(new URL('../../server/src/features/reports/report-worker.ts', import.meta.url)), [srv.dbPath], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise((r) => child.once('spawn', r));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.disconnect();
    expect(await exited).toBe(0);
  });
});
