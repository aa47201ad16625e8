import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { connect, emit, login, next, startTestServer, tempDbPath } from '../support/server.js';

/** Runs the child, waits for READY, then kills it with SIGKILL: no shutdown code runs. */
async function enqueueThenKill(dbPath: string, count: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/enqueue-and-hang.ts', dbPath, String(count)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked: string[] = [];
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n').slice(0, -1)) {
        if (line.startsWith('ACK ')) acked.push(line);
        if (line === 'READY') {
          child.kill('SIGKILL');
          resolve();
        }
      }
      buf = buf.slice(buf.lastIndexOf('\n') + 1);
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited early: ${code}`))));
  });
  await new Promise((r) => child.once('exit', r).once('close', r));
  return acked;
}

describe('a restart keeps the queue', () => {
  it('when the server is killed with calls waiting, a new server should have every acknowledged call, in order, and route them', async () => {
    const dbPath = tempDbPath();
    const acked = await enqueueThenKill(dbPath, 5);
    expect(acked).toEqual(['ACK k-1 queued', 'ACK k-2 queued', 'ACK k-3 queued', 'ACK k-4 queued', 'ACK k-5 queued']);

    const srv = await startTestServer({ dbPath });
    try {
      const waiting = srv.app.engine.waitingCalls().map((c) => c.id);
      // the elderly caller (green channel) is served first, then FIFO
      expect(waiting).toEqual(['k-3', 'k-1', 'k-2', 'k-4', 'k-5']);
      expect(srv.app.engine.getSeat('s02').state).toMatchObject({ kind: 'not-ready', reason: 'meeting' });

      const seat = await connect(srv.url, await login(srv.url, 'seat02'));
      const offered = next(seat, 'call:offered');
      await emit(seat, 'seat:set-status', { status: 'ready' });
      expect((await offered).id).toBe('k-3');
      seat.disconnect();
    } finally {
      await srv.stop();
    }
  });
});

describe('configuration errors stop start-up with a sentence', () => {
  it('when PORT is not a number, loadConfig should name PORT and the bad value', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow('Invalid configuration: PORT: must be a number (got "abc").');
  });

  it('when LOG_LEVEL is unknown, loadConfig should name LOG_LEVEL', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('when the routing config file has a bad value, the message should name the key inside it', async () => {
    const fs = await import('node:fs');
    const file = tempDbPath().replace(/hotline\.db$/, 'routing.json');
    const { DEFAULT_ROUTING_CONFIG } = await import('../../server/src/domain/policy.js');
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_ROUTING_CONFIG, ringTimeoutS: 0 }));
    expect(() => loadConfig({ ROUTING_CONFIG_FILE: file })).toThrow(/ROUTING_CONFIG_FILE .*ringTimeoutS/);
  });

  it('when the server is started with an invalid PORT, it should exit non-zero printing the sentence', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...process.env, PORT: '70000', DB_PATH: tempDbPath() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(78);
    expect(err).toMatch(/Invalid configuration: PORT: .*70000/);
  });
});

describe('seats after a restart', () => {
  it('when the server restarts with a seat ready and its console never comes back, the seat should go offline after the grace period', async () => {
    const env = { SEAT_DISCONNECT_GRACE_S: '0.3' };
    const first = await startTestServer({ env });
    const socket = await connect(first.url, await login(first.url, 'seat07'));
    await emit(socket, 'seat:set-status', { status: 'ready' });
    socket.disconnect();
    await first.stop({ keepDb: true });

    const second = await startTestServer({ dbPath: first.dbPath, env });
    try {
      expect(second.app.engine.getSeat('s07').state.kind).toBe('ready');
      await new Promise((r) => setTimeout(r, 700));
      expect(second.app.engine.getSeat('s07').state.kind).toBe('offline');
    } finally {
      await second.stop();
    }
  });
});
