/**
 * The commit path under a real kill -9: the router (engine and Kamailio adapter, in a child
 * process, on a WAL database with synchronous=FULL) is killed with SIGKILL the instant its
 * first `ring` decision reaches Kamailio. What it decided must be on disk: the call, ringing,
 * with its `offered` event, and the SIP leg Kamailio holds, for every call of that commit.
 * The kill lands a socket read after the ring left, so it catches what the router had not
 * written by then (a decision sent before a batch's commit fails the second test);
 * tests/unit/commit-path.test.ts copies the files at the exact instant instead.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue, fakeKamailio, type FakeKamailio } from '../unit/support/fake-kamailio.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').includes(line)) {
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before ${line}: ${out}`)));
  });
}

/** A router child on a fresh database, synced with `fake`, s1 registered and ready; it is SIGKILLed at the first ring it sends. */
async function routerKilledAtFirstRing(fake: FakeKamailio): Promise<{ file: string; killed: Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commit-kill-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'router.db');
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/adapter-router-child.ts', file, String(fake.port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => void child.kill('SIGKILL'));
  const killed = new Promise<void>((resolve, reject) =>
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`router exited: ${code}`)))),
  );
  // Kill in the same tick the ring is read from the socket: nothing the router does after sending it can run first.
  const push = fake.received.push.bind(fake.received);
  fake.received.push = (...items) => {
    if (items.some((m) => m.cmd === 'ring')) child.kill('SIGKILL');
    return push(...items);
  };
  await waitForLine(child, 'SYNCED');
  fake.send({ event: 'reg', seat: 's1', contacts: 1 });
  await waitForLine(child, 'READY');
  return { file, killed };
}

function onDisk(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      calls: db.prepare('SELECT id, state_kind FROM calls ORDER BY id').all(),
      offered: db
        .prepare("SELECT call_id, json_extract(data_json, '$.seatId') AS seat FROM call_events WHERE type = 'offered' ORDER BY call_id")
        .all(),
      legs: db.prepare('SELECT call_id, tindex FROM sip_legs ORDER BY call_id').all(),
    };
  } finally {
    db.close();
  }
}

describe('kill -9 the instant a ring decision reaches Kamailio', () => {
  it('the call, its offer and its SIP leg are already on disk', async () => {
    const fake = await fakeKamailio();
    cleanups.push(() => fake.close());
    const { file, killed } = await routerKilledAtFirstRing(fake);
    fake.send(enqueue('c1', { tindex: 7 }));
    await killed;
    expect(fake.received.filter((m) => m.cmd === 'ring')).toMatchObject([{ callid: 'c1', seat: 's1', tindex: 7 }]);
    expect(onDisk(file)).toEqual({
      calls: [{ id: 'c1', state_kind: 'ringing' }],
      offered: [{ call_id: 'c1', seat: 's1' }],
      legs: [{ call_id: 'c1', tindex: 7 }],
    });
  });

  it('every call that arrived in the same read is on disk with its leg (one commit, before the first decision went out)', async () => {
    const fake = await fakeKamailio();
    cleanups.push(() => fake.close());
    const { file, killed } = await routerKilledAtFirstRing(fake);
    fake.sendTogether([enqueue('c1', { tindex: 1 }), enqueue('c2', { tindex: 2 }), enqueue('c3', { tindex: 3 })]);
    await killed;
    expect(onDisk(file)).toEqual({
      calls: [
        { id: 'c1', state_kind: 'ringing' },
        { id: 'c2', state_kind: 'queued' },
        { id: 'c3', state_kind: 'queued' },
      ],
      offered: [{ call_id: 'c1', seat: 's1' }],
      legs: [
        { call_id: 'c1', tindex: 1 },
        { call_id: 'c2', tindex: 2 },
        { call_id: 'c3', tindex: 3 },
      ],
    });
  });
});
