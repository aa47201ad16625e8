import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import type { RecordingMedia } from '../features/recordings/recording-service.js';
import { addLeg, mixPcap, silence, wavFile, type MixSpan } from './recording-mixer.js';
import type { RtpengineNg } from './rtpengine-ng.js';

const run = promisify(execFile);

export interface RtpengineRecordingOptions {
  ng: RtpengineNg;
  /** rtpengine's recording-dir (it writes pcaps/<call-id>-<hex>.pcap there). */
  spoolDir: string;
  /** RECORDING_DIR: where the mixed files go (one folder per UTC day). */
  outDir: string;
  /** The zh-CN notice played to the caller at the answer; null: none. */
  noticeFile: string | null;
  logger: Logger;
  /** How long to wait for rtpengine to close the call's pcap after the hang-up. */
  closeWaitMs?: number;
}

/** Whether a spool file name belongs to the call (rtpengine %-escapes the call id, e.g. @ as %40). */
function ofCall(file: string, callId: string): boolean {
  let name = file;
  try {
    name = decodeURIComponent(file);
  } catch {
    // not escaped
  }
  return name.startsWith(`${callId}-`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When rtpengine does not say how long the notice is. */
const NOTICE_FALLBACK_MS = 4000;
/** After the notice's last packet, before the parties hear each other. */
const NOTICE_TAIL_MS = 200;

/** One capture of several pcaps of a call (a stop and a start make a new file): the first's header, every record. */
const joinPcaps = (files: string[]): Buffer =>
  Buffer.concat(files.map((p, i) => (i === 0 ? fs.readFileSync(p) : fs.readFileSync(p).subarray(24))));

/**
 * Recording over rtpengine's ng protocol (docs/telephony-notes.md *Recording*): `start recording`
 * at the answer (rtpengine writes the call's decrypted RTP to a pcap in its spool), the notice
 * played to the caller's leg (`play media` with the caller's tag: the leg that is plain RTP/AVP,
 * the trunk's), `pause recording` / `start recording` for the seat's pause, and after the
 * hang-up the pcap mixed to one stereo file (caller and seat), encoded to MP3 by `lame` where
 * installed (else WAV), the pcap then removed.
 */
export class RtpengineRecordingMedia implements RecordingMedia {
  constructor(private readonly o: RtpengineRecordingOptions) {}

  async start(callId: string, opts: { notice?: boolean; restart?: boolean } = {}): Promise<void> {
    await this.o.ng.command({ command: 'start recording', 'call-id': callId });
    if (this.o.noticeFile && opts.notice !== false) void this.playNotice(callId);
    // Taken up again after a restart: a router that died during the notice left the media blocked.
    else if (this.o.noticeFile && opts.restart) void this.unblock(callId);
  }

  async pause(callId: string): Promise<void> {
    try {
      await this.o.ng.command({ command: 'pause recording', 'call-id': callId });
    } catch {
      await this.o.ng.command({ command: 'stop recording', 'call-id': callId });
    }
  }

  async resume(callId: string): Promise<void> {
    await this.o.ng.command({ command: 'start recording', 'call-id': callId });
  }

  /** Closes the call's pcap now (the call goes on): before rtpengine is stopped (see stopAllRecordings). */
  async stop(callId: string): Promise<void> {
    await this.o.ng.command({ command: 'stop recording', 'call-id': callId });
  }

  /** `stopped`: recording was stopped (`stop`), the call may still be up: its pcaps are closed once their sizes hold. */
  async finish(callId: string, span: MixSpan, opts: { stopped?: boolean } = {}): Promise<{ file: string; format: 'mp3' | 'wav' }> {
    const pcaps = await this.closedPcaps(callId, opts.stopped === true);
    if (pcaps.length === 0) throw new Error(`no pcap for call ${callId} in ${this.o.spoolDir}/pcaps`);
    const samples = mixPcap(joinPcaps(pcaps), span);
    // Consultations: each leg's own capture, mixed over the same span, added in its time.
    const legPcaps: string[] = [];
    for (const leg of span.legs ?? []) {
      const files = await this.closedPcaps(leg.callId, opts.stopped === true);
      if (files.length === 0) {
        this.o.logger.error({ callId, leg: leg.callId }, 'recording: no capture of the consultation (left out of the file)');
        continue;
      }
      addLeg(samples, mixPcap(joinPcaps(files), { ...span, pauses: [] }), leg.fromMs, leg.toMs);
      legPcaps.push(...files);
    }
    silence(samples, span.pauses);
    const day = new Date(span.answeredAt).toISOString().slice(0, 10);
    const base = callId.replace(/[^A-Za-z0-9._-]/g, '_');
    fs.mkdirSync(path.join(this.o.outDir, day), { recursive: true });
    const wav = path.join(this.o.outDir, day, `${base}.wav`);
    fs.writeFileSync(wav, wavFile(samples));
    let out: { file: string; format: 'mp3' | 'wav' } = { file: path.join(day, `${base}.wav`), format: 'wav' };
    try {
      const mp3 = path.join(this.o.outDir, day, `${base}.mp3`);
      await run('lame', ['--quiet', '-m', 'j', '-b', '32', wav, mp3]);
      fs.rmSync(wav);
      out = { file: path.join(day, `${base}.mp3`), format: 'mp3' };
    } catch (err) {
      this.o.logger.warn({ err, callId }, 'recording: lame is not available, kept as WAV');
    }
    for (const p of [...pcaps, ...legPcaps]) fs.rmSync(p, { force: true });
    const meta = path.join(this.o.spoolDir, 'metadata');
    const ids = [callId, ...(span.legs ?? []).map((l) => l.callId)];
    if (fs.existsSync(meta))
      for (const f of fs.readdirSync(meta))
        if (ids.some((id) => ofCall(f.replace(/^rtpengine-meta-/, ''), id))) fs.rmSync(path.join(meta, f), { force: true });
    return out;
  }

  /** The call's pcaps once rtpengine has closed them (the call deleted; sizes stable). */
  private async closedPcaps(callId: string, stopped: boolean): Promise<string[]> {
    const dir = path.join(this.o.spoolDir, 'pcaps');
    const deadline = Date.now() + (this.o.closeWaitMs ?? 5000);
    let last = '';
    for (;;) {
      const files = fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .filter((f) => ofCall(f, callId) && f.endsWith('.pcap'))
            .map((f) => path.join(dir, f))
            .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs)
        : [];
      const gone =
        stopped ||
        (await this.o.ng.command({ command: 'query', 'call-id': callId }).then(
          () => false,
          () => true,
        ));
      const sizes = files.map((f) => fs.statSync(f).size).join(',');
      if ((gone && sizes === last) || Date.now() > deadline) return files;
      last = sizes;
      await sleep(200);
    }
  }

  /**
   * The notice, before the parties are connected: the media of both parties is blocked (ng `block
   * media`: neither hears the other), the notice is played to the caller's leg (`play media`), and
   * both are unblocked once it has played (its `duration`). A restarted router unblocks the calls
   * it takes up again (`start` with `restart`).
   */
  private async playNotice(callId: string): Promise<void> {
    let blocked: string[] = [];
    try {
      const tags = await this.tags(callId);
      const caller = Object.entries(tags).find(([, t]) => (t.medias ?? []).some((m) => m.protocol === 'RTP/AVP'))?.[0];
      if (!caller) throw new Error('no plain-RTP (trunk) leg in the call');
      // Both parties: `play media` does not keep the seat's audio from the caller (10.5 forwards
      // both), and the seat must not hear the caller yet. rtpengine terminates the seat's ICE and
      // DTLS itself: blocking stops the forwarding of media only.
      blocked = Object.keys(tags);
      for (const tag of blocked) await this.o.ng.command({ command: 'block media', 'call-id': callId, 'from-tag': tag });
      const played = await this.o.ng.command({ command: 'play media', 'call-id': callId, 'from-tag': caller, file: this.o.noticeFile! });
      const ms = typeof played.duration === 'number' && played.duration > 0 ? played.duration : NOTICE_FALLBACK_MS;
      const tags2 = blocked;
      setTimeout(() => void this.unblock(callId, tags2), ms + NOTICE_TAIL_MS).unref();
    } catch (err) {
      this.o.logger.error({ err, callId }, 'recording: the notice could not be played to the caller');
      if (blocked.length > 0) await this.unblock(callId, blocked);
    }
  }

  private async tags(callId: string): Promise<Record<string, { medias?: { protocol?: string }[] }>> {
    const q = await this.o.ng.command({ command: 'query', 'call-id': callId });
    return (q.tags ?? {}) as Record<string, { medias?: { protocol?: string }[] }>;
  }

  /** Connects the parties (after the notice); every tag of the call when none are given. Never throws. */
  private async unblock(callId: string, tags?: string[]): Promise<void> {
    try {
      for (const tag of tags ?? Object.keys(await this.tags(callId)))
        await this.o.ng.command({ command: 'unblock media', 'call-id': callId, 'from-tag': tag });
    } catch (err) {
      this.o.logger.warn({ err, callId }, 'recording: could not unblock the media after the notice (the call ended?)');
    }
  }
}

/**
 * `stop recording` for every call rtpengine holds (ng `list`): rtpengine 10.5 dies with SIGSEGV in
 * recording_finish when it is stopped with a recording still open (and dumps core where allowed);
 * with every recording stopped first it exits cleanly and every pcap is complete. Run right before
 * rtpengine is stopped (scripts/stop-recordings.ts from start.sh, the test stacks), after the
 * router has stopped and mixed what it could. Resolves with the calls it stopped.
 */
export async function stopAllRecordings(ng: RtpengineNg): Promise<string[]> {
  const listed = await ng.command({ command: 'list', limit: 100000 });
  const calls = Array.isArray(listed.calls) ? listed.calls.filter((c): c is string => typeof c === 'string') : [];
  const stopped: string[] = [];
  for (const callId of calls) {
    const ok = await ng.command({ command: 'stop recording', 'call-id': callId }).then(
      () => true,
      () => false, // the call ended meanwhile
    );
    if (ok) stopped.push(callId);
  }
  return stopped;
}
