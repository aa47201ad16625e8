/**
 * Stopping the stack with a recorded call open (real Kamailio, rtpengine, SIPp caller and seat),
 * in start.sh's order: the router (SIGTERM) ends and stores the open recordings, Kamailio, the
 * recordings still open in rtpengine stopped, rtpengine. rtpengine 10.5 dies with SIGSEGV in
 * recording_finish (a core dump where allowed) when it is stopped with a recording open: here it
 * exits cleanly, no core file, and the part recorded is a complete, checksummed, playable MP3.
 * Also with the router killed (SIGKILL) before the stop: scripts/stop-recordings.ts (start.sh) covers it.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSipStack, waitFor, type SipStack } from '../support/sip-stack.js';

let stack: SipStack | null = null;

afterEach(async () => {
  if (stack) {
    await stack.stop();
    fs.rmSync(stack.dir, { recursive: true, force: true });
  }
  stack = null;
});

async function recordedCallOpen(s: SipStack): Promise<string> {
  await s.seat('s03');
  s.startCall({ dialed: '123483', caller: '13800000031', talkMs: 60_000, timeoutMs: 90_000 });
  const { id } = await waitFor(() => s.calls().find((c) => c.state_kind === 'talking'), 'a call talking', 20_000);
  const pcaps = path.join(s.dir, 'run', 'recording-spool', 'pcaps');
  // At least ~3 s of both parties captured.
  await waitFor(
    () =>
      fs.existsSync(pcaps) &&
      fs
        .readdirSync(pcaps)
        .filter((f) => decodeURIComponent(f).startsWith(`${id}-`))
        .some((f) => fs.statSync(path.join(pcaps, f)).size > 3 * 2 * 50 * 200),
    'the call being captured',
    20_000,
  );
  return id;
}

const cores = (dir: string) => fs.readdirSync(dir).filter((f) => /^core(\.\d+)?$/.test(f));

describe('stopping the stack with a recorded call open', () => {
  it('the router stores the part recorded; rtpengine exits cleanly, no core dump', async () => {
    stack = await startSipStack({ routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }) });
    const s = stack;
    const id = await recordedCallOpen(s);
    const stopAt = Date.now();
    await s.stop({ keepDir: true });
    expect({ exit: s.rtpengine!.exitCode, signal: s.rtpengine!.signalCode }).toEqual({ exit: 0, signal: null });
    expect(cores(s.dir)).toEqual([]);
    expect(fs.readFileSync(s.logs.router, 'utf8')).toContain('recording: stored up to the stop');
    const db = new Database(path.join(s.dir, 'hotline.db'), { readonly: true });
    const row = db.prepare('SELECT * FROM recordings WHERE call_id = ?').get(id) as {
      status: string;
      file: string;
      sha256: string;
      duration_ms: number;
      answered_at: number;
      size_bytes: number;
    };
    db.close();
    expect(row.status).toBe('stored');
    expect(Math.abs(row.answered_at + row.duration_ms - stopAt)).toBeLessThan(3000);
    const file = path.join(s.dir, 'recordings', row.file);
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBe(row.size_bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(row.sha256);
    // Playable: lame decodes it whole, and it lasts what the row says (within a second).
    const wav = path.join(s.dir, 'decoded.wav');
    execFileSync('lame', ['--quiet', '--decode', file, wav]);
    const pcm = fs.readFileSync(wav);
    const frames = (pcm.length - (pcm.indexOf('data') + 8)) / (2 * pcm.readUInt16LE(22));
    expect(Math.abs((frames / pcm.readUInt32LE(24)) * 1000 - row.duration_ms)).toBeLessThan(1000);
    // Nothing left open in the spool: every pcap was closed and consumed by the mix.
    const pcaps = path.join(s.dir, 'run', 'recording-spool', 'pcaps');
    expect(fs.readdirSync(pcaps).filter((f) => decodeURIComponent(f).startsWith(`${id}-`))).toEqual([]);
  }, 120_000);

  it('with the router killed before the stop, scripts/stop-recordings.ts stops it in rtpengine: a clean exit, a complete pcap', async () => {
    stack = await startSipStack({ routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 1, requireSummary: false } }) });
    const s = stack;
    const id = await recordedCallOpen(s);
    await s.killRouter();
    // What start.sh runs between Kamailio and rtpengine (the stack's stop does the same).
    const out = execFileSync('node', ['--import', 'tsx', 'scripts/stop-recordings.ts'], { env: { ...process.env, ...s.env } }).toString();
    expect(out).toContain('recording stopped for 1 call(s)');
    await s.stop({ keepDir: true });
    expect({ exit: s.rtpengine!.exitCode, signal: s.rtpengine!.signalCode }).toEqual({ exit: 0, signal: null });
    expect(cores(s.dir)).toEqual([]);
    // The capture is whole (every record complete), ready for the next start to mix.
    const pcaps = path.join(s.dir, 'run', 'recording-spool', 'pcaps');
    const mine = fs.readdirSync(pcaps).filter((f) => decodeURIComponent(f).startsWith(`${id}-`));
    expect(mine.length).toBe(1);
    const pcap = fs.readFileSync(path.join(pcaps, mine[0]!));
    let off = 24;
    let packets = 0;
    while (off + 16 <= pcap.length) {
      off += 16 + pcap.readUInt32LE(off + 8);
      packets++;
    }
    expect(off).toBe(pcap.length);
    expect(packets).toBeGreaterThan(200);
  }, 120_000);
});
