/**
 * Recordings API (docs/recordings.md) against a real server with a fake recorder that writes a
 * file per call: scope (supervisor in scope, another centre's supervisor, the seat on the day,
 * another seat, the next day), Range streaming, audited playback and download with a reason,
 * the seat's pause, holds from the events, an altered or missing file reported, a category not
 * recorded, a failed recorder, the retention sweep and the disk view.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse, RecordingStorageView, RecordingView } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import type { RecordingMedia } from '../../server/src/features/recordings/recording-service.js';
import { login, startTestServer, type TestServer } from '../support/server.js';

const T0 = Date.UTC(2026, 10, 23, 2, 0);
const S = 1000;
const DAY = 86_400_000;

class FakeMedia implements RecordingMedia {
  readonly started: string[] = [];
  readonly paused: string[] = [];
  failNext = false;
  constructor(private readonly dir: string) {}
  async start(callId: string) {
    this.started.push(callId);
  }
  async pause(callId: string) {
    this.paused.push(callId);
  }
  async resume() {}
  async finish(callId: string, span: { answeredAt: number; endedAt: number; pauses: [number, number][] }) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('recorder died');
    }
    const file = `${callId}.mp3`;
    const body = Buffer.alloc(4000);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    body.write(JSON.stringify(span), 0);
    fs.writeFileSync(path.join(this.dir, file), body);
    return { file, format: 'mp3' as const };
  }
}

describe('recordings API', () => {
  let srv: TestServer;
  let dir: string;
  let media: FakeMedia;
  const clock = new VirtualClock(T0);
  const cookies: Record<string, string> = {};
  const get = async (p: string, user: string, headers: Record<string, string> = {}) =>
    fetch(`${srv.url}${p}`, { headers: { cookie: cookies[user]!, ...headers } });
  const json = async <T>(p: string, user: string, method = 'GET') => {
    const r = await fetch(`${srv.url}${p}`, { method, headers: { cookie: cookies[user]! } });
    return { status: r.status, body: (await r.json()) as { ok: boolean; data: T; error: { code: string; message: string } } };
  };
  const settle = () => new Promise((r) => setTimeout(r, 50));

  /** A call answered by `seatId` (each test call its own seat: the summary gate keeps it in wrap-up), talking 60 s (`during` at 20 s), hung up. */
  async function call(id: string, seatId: string, during?: () => Promise<void>, opts: { hangup?: boolean; categoryId?: string } = {}) {
    const engine = srv.app.engine;
    for (const s of engine.listSeats())
      if (s.state.kind === 'ready' && s.profile.id !== seatId) engine.setSeatNotReady(s.profile.id, 'rest');
    if (engine.getSeat(seatId).state.kind !== 'ready') engine.setSeatReady(seatId);
    engine.offerCall({ id, caller: '13900000001', dialed: '12348', categoryId: opts.categoryId ?? null });
    clock.advance(5 * S);
    engine.answered(id, seatId);
    clock.advance(20 * S);
    await during?.();
    clock.advance(40 * S);
    if (opts.hangup === false) return;
    engine.hangup(id, 'caller');
    await settle();
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recordings-'));
    media = new FakeMedia(dir);
    srv = await startTestServer({
      clock,
      recordingMedia: media,
      env: { SESSION_HOURS: '72', RECORDING_DIR: dir, RECORDING_OFF_CATEGORIES: 'notary', RECORDING_RETENTION_DAYS: '30' },
    });
    for (const u of ['seat01', 'seat02', 'supervisor', 'supervisor-dc', 'admin']) cookies[u] = await login(srv.url, u);
  });
  afterAll(async () => {
    await srv?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records an answered call: metadata with duration, checksum, holds and the seat pause', async () => {
    await call('r1', 's01', async () => {
      srv.app.engine.hold('r1');
      clock.advance(3 * S);
      srv.app.engine.resume('r1');
      const p = await json<{ paused: boolean }>('/api/calls/r1/recording/pause', 'seat01', 'POST');
      expect(p.body.data.paused).toBe(true);
      clock.advance(4 * S);
      expect((await json('/api/calls/r1/recording/resume', 'seat01', 'POST')).body.data).toEqual({ callId: 'r1', paused: false });
      // Another seat cannot pause it: not a call it may see, so 404 like the call routes.
      expect((await json('/api/calls/r1/recording/pause', 'seat02', 'POST')).status).toBe(404);
      // A supervisor sees the call but only the answering seat pauses: 403.
      expect((await json('/api/calls/r1/recording/pause', 'supervisor', 'POST')).status).toBe(403);
    });
    expect(media.started).toContain('r1');
    expect(media.paused).toContain('r1');
    const v = await json<RecordingView>('/api/calls/r1/recording', 'supervisor');
    expect(v.status).toBe(200);
    expect(v.body.data).toMatchObject({
      callId: 'r1',
      available: true,
      sha256Ok: true,
      format: 'mp3',
      sizeBytes: 4000,
      durationMs: 67_000,
      reason: null,
    });
    expect(v.body.data.holds).toEqual([{ fromMs: 20_000, toMs: 23_000 }]);
    expect(v.body.data.pauses).toEqual([{ fromMs: 23_000, toMs: 27_000 }]);
    // The recorder was told to silence the pause.
    expect(fs.readFileSync(path.join(dir, 'r1.mp3'), 'utf8')).toContain('"pauses":[[23000,27000]]');
  });

  it('the seat hears its own call of the day; another seat, another centre and the next day are refused', async () => {
    expect((await json<RecordingView>('/api/calls/r1/recording', 'seat01')).body.data.available).toBe(true);
    // A call the user may not see answers as an unknown one does (404, same sentence): the
    // refusal does not tell that the call exists.
    const unknown = await json('/api/calls/nope/recording', 'supervisor');
    expect(unknown.status).toBe(404);
    const other = await json('/api/calls/r1/recording', 'seat02');
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe(unknown.body.error.message.replace('nope', 'r1'));
    const dc = await json('/api/calls/r1/recording', 'supervisor-dc');
    expect(dc.status).toBe(404);
    expect((await get('/api/calls/r1/recording/audio', 'supervisor-dc')).status).toBe(404);
    expect((await get('/api/calls/r1/recording/audio', 'seat02')).status).toBe(404);
    expect((await get('/api/calls/r1/recording/audio?download=1&reason=%E6%A3%80%E6%9F%A5', 'supervisor-dc')).status).toBe(404);
  });

  it('streams the file with Range and audits one playback; a download needs a reason', async () => {
    const whole = await get('/api/calls/r1/recording/audio', 'supervisor');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/mpeg');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect((await whole.arrayBuffer()).byteLength).toBe(4000);
    const part = await get('/api/calls/r1/recording/audio', 'supervisor', { range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 1000-1999/4000');
    const bytes = new Uint8Array(await part.arrayBuffer());
    expect(bytes.length).toBe(1000);
    expect(bytes[0]).toBe(1000 % 251);
    expect((await get('/api/calls/r1/recording/audio', 'supervisor', { range: 'bytes=5000-' })).status).toBe(416);
    const noReason = await get('/api/calls/r1/recording/audio?download=1', 'supervisor');
    expect(noReason.status).toBe(400);
    const dl = await get(`/api/calls/r1/recording/audio?download=1&reason=${encodeURIComponent('投诉核查')}`, 'supervisor');
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-disposition')).toContain('attachment');
    await dl.arrayBuffer();
    const audit = (await json<AuditListResponse>('/api/audit?limit=500', 'admin')).body.data.entries;
    const plays = audit.filter((e) => e.action === 'recording.play' && e.target === 'call:r1');
    expect(plays).toHaveLength(1);
    expect(plays[0]!.username).toBe('supervisor');
    const dls = audit.filter((e) => e.action === 'recording.download' && e.target === 'call:r1');
    expect(dls.map((e) => e.reason)).toEqual(['投诉核查']);
  });

  it('an altered file is reported and not played; a missing file too (never replaced)', async () => {
    await call('r2', 's03');
    await call('r3', 's04');
    fs.appendFileSync(path.join(dir, 'r2.mp3'), 'x');
    const v = await json<RecordingView>('/api/calls/r2/recording', 'supervisor');
    expect(v.body.data).toMatchObject({ available: false, sha256Ok: false, reason: 'checksum-mismatch' });
    expect((await get('/api/calls/r2/recording/audio', 'supervisor')).status).toBe(409);
    fs.rmSync(path.join(dir, 'r3.mp3'));
    expect((await json<RecordingView>('/api/calls/r3/recording', 'supervisor')).body.data.reason).toBe('file-missing');
    expect((await get('/api/calls/r3/recording/audio', 'supervisor')).status).toBe(404);
    expect(fs.existsSync(path.join(dir, 'r3.mp3'))).toBe(false);
  });

  it('a failed recorder loses only that call; a call in progress says so', async () => {
    media.failNext = true;
    await call('r4', 's05');
    await call('r5', 's06');
    expect((await json<RecordingView>('/api/calls/r4/recording', 'supervisor')).body.data.reason).toBe('daemon-failure');
    expect((await json<RecordingView>('/api/calls/r5/recording', 'supervisor')).body.data.available).toBe(true);
    await call('r6', 's07', undefined, { hangup: false });
    expect((await json<RecordingView>('/api/calls/r6/recording', 'supervisor')).body.data.reason).toBe('in-progress');
    srv.app.engine.hangup('r6', 'caller');
    await settle();
  });

  it('a category not recorded: no recording, and it says why', async () => {
    await call('r8', 's08', undefined, { categoryId: 'notary' });
    expect(media.started).not.toContain('r8');
    expect((await json<RecordingView>('/api/calls/r8/recording', 'supervisor')).body.data).toMatchObject({
      available: false,
      reason: 'not-recorded-category',
    });
  });

  it('a transferred call links to the call it came from, and back', async () => {
    const engine = srv.app.engine;
    for (const s of engine.listSeats())
      if (s.state.kind === 'ready' && s.profile.id !== 's02') engine.setSeatNotReady(s.profile.id, 'rest');
    engine.setSeatReady('s02');
    engine.offerCall({
      id: 'r7',
      caller: '13900000001',
      dialed: '12348',
      transfer: { fromCallId: 'r5', fromSeatId: 's06', targetSeatId: null },
    });
    clock.advance(2 * S);
    engine.answered('r7', 's02');
    clock.advance(10 * S);
    engine.hangup('r7', 'caller');
    await settle();
    expect((await json<RecordingView>('/api/calls/r7/recording', 'supervisor')).body.data).toMatchObject({
      available: true,
      linked: [{ callId: 'r5', relation: 'transferred-from' }],
    });
    expect((await json<RecordingView>('/api/calls/r5/recording', 'supervisor')).body.data.linked).toEqual([
      { callId: 'r7', relation: 'transferred-to' },
    ]);
  });

  it('the storage view and the retention sweep (audited)', async () => {
    const st = await json<RecordingStorageView>('/api/recordings/storage', 'admin');
    expect(st.body.data).toMatchObject({ files: 6, retentionDays: 30, alarm: expect.any(Boolean) });
    expect(st.body.data.usedBytes).toBeGreaterThan(0);
    expect(st.body.data.daysLeft).toBeGreaterThan(0);
    expect((await json('/api/recordings/storage', 'supervisor')).status).toBe(403);
    clock.advance(31 * DAY);
    for (const u of ['admin', 'supervisor', 'seat01']) cookies[u] = await login(srv.url, u);
    const sw = await json<{ deleted: number }>('/api/recordings/retention/sweep', 'admin', 'POST');
    expect(sw.body.data.deleted).toBe(6);
    expect(fs.existsSync(path.join(dir, 'r1.mp3'))).toBe(false);
    expect((await json<RecordingView>('/api/calls/r1/recording', 'supervisor')).body.data.reason).toBe('expired');
    const audit = (await json<AuditListResponse>('/api/audit?action=recording.delete&limit=100', 'admin')).body.data.entries;
    expect(audit.map((e) => e.target).sort()).toEqual(['call:r1', 'call:r2', 'call:r3', 'call:r5', 'call:r6', 'call:r7']);
    // The seat's own call of an earlier day is no longer its to hear.
    expect((await json('/api/calls/r1/recording', 'seat01')).status).toBe(403);
  });
});

describe('recording switched off (no recorder)', () => {
  it('an answered call gets its row at once, marked not recorded with the reason', async () => {
    const clock = new VirtualClock(T0);
    const srv = await startTestServer({ clock });
    try {
      const engine = srv.app.engine;
      engine.setSeatReady('s01');
      engine.offerCall({ id: 'off-1', caller: '13900000009', dialed: '12348', categoryId: null });
      clock.advance(5 * S);
      engine.answered('off-1', 's01');
      const row = srv.db.prepare('SELECT status, reason, answered_at FROM recordings WHERE call_id = ?').get('off-1');
      expect(row).toEqual({ status: 'failed', reason: 'recording-off', answered_at: T0 + 5 * S });
      const res = await fetch(`${srv.url}/api/calls/off-1/recording`, { headers: { cookie: await login(srv.url, 'supervisor') } });
      const view = (await res.json()) as { data: RecordingView };
      expect(view.data).toMatchObject({ callId: 'off-1', available: false, reason: 'recording-off' });
    } finally {
      await srv.stop();
    }
  });
});
