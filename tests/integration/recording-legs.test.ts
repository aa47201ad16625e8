/**
 * Consultation legs and stopping, in RecordingService against a real server with a fake recorder:
 * a consultation answered while its seat's call is recorded is recorded too (no notice), its end
 * kept, handed to the mixer with the call and listed on the timeline; a call kept off the record
 * keeps its consultation off too; a leg still open at the hang-up ends with the call; stopping
 * the router stops the call's and the open leg's captures and stores the part recorded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import type { RecordingMedia } from '../../server/src/features/recordings/recording-service.js';
import { login, startTestServer, type TestServer } from '../support/server.js';

const T0 = Date.UTC(2026, 10, 23, 2, 0);
const S = 1000;

type Span = Parameters<RecordingMedia['finish']>[1];

class FakeMedia implements RecordingMedia {
  readonly started: { callId: string; notice: boolean }[] = [];
  readonly stopped: string[] = [];
  readonly finished = new Map<string, { span: Span; stopped: boolean }>();
  constructor(private readonly dir: string) {}
  async start(callId: string, opts: { notice?: boolean } = {}) {
    this.started.push({ callId, notice: opts.notice !== false });
  }
  async pause() {}
  async resume() {}
  async stop(callId: string) {
    this.stopped.push(callId);
  }
  async finish(callId: string, span: Span, opts: { stopped?: boolean } = {}) {
    this.finished.set(callId, { span, stopped: opts.stopped === true });
    fs.writeFileSync(path.join(this.dir, `${callId}.mp3`), Buffer.from(JSON.stringify(span)));
    return { file: `${callId}.mp3`, format: 'mp3' as const };
  }
}

describe('recorded consultations and stopping', () => {
  let srv: TestServer;
  let dir: string;
  let media: FakeMedia;
  const clock = new VirtualClock(T0);
  let cookie = '';
  const settle = () => new Promise((r) => setTimeout(r, 50));
  const view = async (id: string) =>
    ((await (await fetch(`${srv.url}/api/calls/${id}/recording`, { headers: { cookie } })).json()) as { data: RecordingView }).data;

  function answer(id: string, seatId: string, categoryId: string | null = null) {
    const engine = srv.app.engine;
    for (const s of engine.listSeats())
      if (s.state.kind === 'ready' && s.profile.id !== seatId) engine.setSeatNotReady(s.profile.id, 'rest');
    if (engine.getSeat(seatId).state.kind !== 'ready') engine.setSeatReady(seatId);
    engine.offerCall({ id, caller: '13900000002', dialed: '12348', categoryId });
    clock.advance(5 * S);
    engine.answered(id, seatId);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recording-legs-'));
    media = new FakeMedia(dir);
    srv = await startTestServer({ clock, recordingMedia: media, env: { RECORDING_DIR: dir, RECORDING_OFF_CATEGORIES: 'notary' } });
    cookie = await login(srv.url, 'supervisor');
  });
  afterAll(async () => {
    await srv?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records a consultation with its call, mixed in at its time and listed on the timeline', async () => {
    answer('L1', 's01');
    clock.advance(10 * S);
    const rec = srv.app.recordings;
    rec.consultAnswered({ callId: 'L1', legCallId: 'leg-1', seatId: 's01', to: 's02' });
    rec.consultAnswered({ callId: 'L1', legCallId: 'leg-1', seatId: 's01', to: 's02' }); // a retransmitted 200
    expect(media.started).toContainEqual({ callId: 'leg-1', notice: false });
    expect(media.started.filter((s) => s.callId === 'leg-1')).toHaveLength(1);
    clock.advance(30 * S);
    rec.legEnded('leg-1');
    rec.legEnded('some-other-call'); // BYEs of calls that are no consultation change nothing
    clock.advance(5 * S);
    srv.app.engine.hangup('L1', 'seat');
    await settle();
    expect(media.finished.get('L1')?.span.legs).toEqual([{ callId: 'leg-1', fromMs: 10_000, toMs: 40_000 }]);
    const v = await view('L1');
    expect(v).toMatchObject({ available: true, durationMs: 45_000 });
    expect(v.consultations).toEqual([{ seatId: 's01', to: 's02', fromMs: 10_000, toMs: 40_000 }]);
  });

  it('a leg still up at the hang-up ends with the call; a call kept off the record keeps its consultation off', async () => {
    answer('L2', 's03');
    clock.advance(10 * S);
    srv.app.recordings.consultAnswered({ callId: 'L2', legCallId: 'leg-2', seatId: 's03', to: '12345' });
    clock.advance(10 * S);
    srv.app.engine.hangup('L2', 'caller');
    await settle();
    expect(media.finished.get('L2')?.span.legs).toEqual([{ callId: 'leg-2', fromMs: 10_000, toMs: 20_000 }]);
    expect((await view('L2')).consultations).toEqual([{ seatId: 's03', to: '12345', fromMs: 10_000, toMs: 20_000 }]);

    answer('L3', 's08', 'notary');
    srv.app.recordings.consultAnswered({ callId: 'L3', legCallId: 'leg-3', seatId: 's08', to: 's05' });
    expect(media.started.map((s) => s.callId)).not.toContain('leg-3');
    srv.app.engine.hangup('L3', 'caller');
    await settle();
    expect(await view('L3')).toMatchObject({ available: false, reason: 'not-recorded-category', consultations: [] });
  });

  it('stopping the router stops the call and its open consultation and stores the part recorded', async () => {
    answer('L4', 's06');
    clock.advance(8 * S);
    srv.app.recordings.consultAnswered({ callId: 'L4', legCallId: 'leg-4', seatId: 's06', to: 's07' });
    clock.advance(4 * S);
    await srv.app.recordings.shutdown();
    expect(media.stopped.sort()).toEqual(['L4', 'leg-4']);
    expect(media.finished.get('L4')).toEqual({
      span: expect.objectContaining({ legs: [{ callId: 'leg-4', fromMs: 8000, toMs: 12_000 }] }) as Span,
      stopped: true,
    });
    expect(await view('L4')).toMatchObject({ available: true, sha256Ok: true, durationMs: 12_000 });
    // The call's later hang-up (the next start's resync) changes nothing.
    clock.advance(60 * S);
    srv.app.engine.hangup('L4', 'system');
    await settle();
    expect((await view('L4')).durationMs).toBe(12_000);
  });
});
