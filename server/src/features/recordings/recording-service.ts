import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { RecordingMissingReason, RecordingSpan, RecordingView } from '../../contract/index.js';
import { can } from '../../contract/permissions.js';
import type { Call } from '../../domain/call.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import type { AuditInput } from '../audit/audit-service.js';
import type { SessionUser } from '../auth/auth-service.js';
import { answeringSeat, type CallService } from '../calls/call-service.js';
import { localDay } from '../shared/local-day.js';
import type { RecordingLeg, RecordingRecord, RecordingRepository } from './recording-repository.js';

/** A consultation answered on a seat's phone while it has a call (see RecordingService.consultAnswered). */
export interface ConsultLeg {
  /** The call the seat is talking on (its caller on hold meanwhile). */
  callId: string;
  /** The consultation's own SIP Call-ID (rtpengine holds it as a separate call). */
  legCallId: string;
  seatId: string;
  /** Whom the seat consults: a seat id, or a number such as 12345. */
  to: string;
}

/**
 * Told of every consultation leg (a seat's phone calling another seat, or 12345, while it has a
 * call): the telephony adapter reports Kamailio's `consult-answered` with the call that seat is
 * talking on, and `legEnded` with the Call-ID of every BYE for a call the engine does not hold.
 * RecordingService is one.
 */
export interface ConsultLegObserver {
  consultAnswered(leg: ConsultLeg): void;
  legEnded(legCallId: string): void;
}

/**
 * What the telephony side does for a recording (telephony/recording-media.ts over rtpengine's ng
 * protocol). `finish` runs after the hang-up and writes the mixed file, the pauses silent, under
 * the recording directory; it returns the file's path relative to that directory.
 */
export interface RecordingMedia {
  /**
   * Starts (or, after a router restart, re-asserts) recording; `notice: false` plays no notice;
   * `restart`: a call taken up again after a restart (the parties are connected if a notice was cut).
   */
  start(callId: string, opts?: { notice?: boolean; restart?: boolean }): Promise<void>;
  pause(callId: string): Promise<void>;
  resume(callId: string): Promise<void>;
  /** Closes the call's capture now, the call going on (the router stops: see `shutdown`). */
  stop?(callId: string): Promise<void>;
  /** `stopped`: the capture was closed by `stop` (the call may still be up). */
  finish(
    callId: string,
    span: {
      answeredAt: number;
      endedAt: number;
      pauses: [number, number][];
      /** Consultations recorded with the call (their own Call-IDs), mixed in at their time. */
      legs?: { callId: string; fromMs: number; toMs: number }[];
    },
    opts?: { stopped?: boolean },
  ): Promise<{ file: string; format: 'mp3' | 'wav' }>;
}

export interface RecordingServiceDeps {
  repo: RecordingRepository;
  calls: CallService;
  clock: Clock;
  logger: Logger;
  audit: (entry: AuditInput) => void;
  /** Absolute directory the files live under. */
  dir: string;
  /** Categories whose calls are not recorded (e.g. a confidential line). */
  offCategories: readonly string[];
  media: RecordingMedia | null;
}

const event = (call: Call, type: Call['events'][number]['type']) => call.events.find((e) => e.type === type) ?? null;
const categoryOf = (call: Call): string => {
  let cat = '';
  for (const e of call.events) if (e.type === 'enqueued' || e.type === 'recategorized') cat = e.categoryId;
  return cat;
};
const PLAY_AUDIT_WINDOW_MS = 10 * 60_000;

/**
 * Call recordings: which calls are recorded, the seat's pause, the file and its checksum after
 * the hang-up, who may play or download one (the call record's scope; a seat its own calls of
 * the day), and the audit of every playback and download. A missing or altered file is reported
 * (logged, and the view says why), never replaced.
 */
export class RecordingService {
  private readonly lastPlay = new Map<string, number>();
  private readonly verified = new Map<string, { size: number; mtimeMs: number; ok: boolean }>();
  private readonly finishing = new Set<string>();
  /** Consultation leg Call-ID => the call it is recorded with (also found in the table after a restart). */
  private readonly legOwner = new Map<string, string>();

  constructor(private readonly d: RecordingServiceDeps) {}

  /** Engine listener (after the commit): an answered call starts recording, a hang-up finishes it. */
  observe(call: Call): void {
    const answered = event(call, 'answered');
    if (!answered) return;
    const row = this.d.repo.get(call.id);
    const hungUp = event(call, 'hung-up');
    // First seen already ended (answered before recording existed, or while it was off): nothing to start.
    if (!row && hungUp) return;
    if (!row) {
      const off = this.d.offCategories.includes(categoryOf(call));
      // One write: a category kept off the record, recording switched off (failed), or recording.
      if (off) this.d.repo.insert(call.id, 'off', answered.at);
      else if (!this.d.media) this.d.repo.insert(call.id, 'failed', answered.at, 'recording-off');
      else {
        this.d.repo.insert(call.id, 'recording', answered.at);
        this.d.media.start(call.id).catch((err: unknown) => {
          this.d.logger.error({ err, callId: call.id }, 'recording: could not start');
          this.d.repo.failed(call.id, 'daemon-failure');
        });
      }
    }
    if (hungUp) void this.finish(call.id, hungUp.at);
  }

  /** The seat's pause button (only the answering seat, only while talking). */
  async setPaused(user: SessionUser, callId: string, paused: boolean): Promise<boolean> {
    const call = this.d.calls.visibleCall(user, callId);
    this.d.calls.answeringUserSeat(user, call, paused ? '暂停录音' : '恢复录音');
    if (call.state.kind !== 'talking') throw new DomainError('INVALID_TRANSITION', '通话已结束，不能再暂停或恢复录音');
    const row = this.d.repo.get(callId);
    if (!row || row.status !== 'recording') throw new DomainError('CONFLICT', '这通电话没有在录音');
    const at = this.d.clock.now() - row.answeredAt;
    const open = row.pauses.at(-1)?.[1] === null;
    if (paused === open) return paused;
    const pauses = paused
      ? [...row.pauses, [at, null] as [number, null]]
      : row.pauses.map((p, i) => (i === row.pauses.length - 1 ? ([p[0], at] as [number, number]) : p));
    this.d.repo.setPauses(callId, pauses);
    await (paused ? this.d.media?.pause(callId) : this.d.media?.resume(callId))?.catch((err: unknown) =>
      this.d.logger.warn({ err, callId }, 'recording: rtpengine did not take the pause (the file is silenced there anyway)'),
    );
    return paused;
  }

  /**
   * A consultation was answered (Kamailio's `consult-answered`, or any other consultation leg the
   * router learns of): it is recorded with the seat's call and mixed into that call's file at its
   * time, marked on the timeline (`consultations`). Nothing when that call is not being recorded
   * (a category kept off the record stays off, consultations included). Repeated reports are ignored.
   */
  consultAnswered(leg: ConsultLeg): void {
    const row = this.d.repo.get(leg.callId);
    if (!row || row.status !== 'recording' || row.endedAt !== null || !this.d.media) return;
    if (row.legs.some((l) => l.callId === leg.legCallId)) return;
    const entry: RecordingLeg = {
      callId: leg.legCallId,
      seatId: leg.seatId,
      to: leg.to,
      fromMs: this.d.clock.now() - row.answeredAt,
      toMs: null,
    };
    this.d.repo.setLegs(leg.callId, [...row.legs, entry]);
    this.legOwner.set(leg.legCallId, leg.callId);
    this.d.media.start(leg.legCallId, { notice: false }).catch((err: unknown) => {
      this.d.logger.error({ err, callId: leg.callId, leg: leg.legCallId }, 'recording: the consultation could not be recorded');
    });
  }

  /** A SIP call ended (every BYE Kamailio reports): if it is a consultation leg, its end is kept. */
  legEnded(legCallId: string): void {
    const owner = this.legOwner.get(legCallId) ?? this.d.repo.ownerOfLeg(legCallId);
    if (!owner) return;
    this.legOwner.delete(legCallId);
    const row = this.d.repo.get(owner);
    if (!row || row.status !== 'recording') return;
    const at = this.d.clock.now() - row.answeredAt;
    this.d.repo.setLegs(
      owner,
      row.legs.map((l) => (l.callId === legCallId && l.toMs === null ? { ...l, toMs: at } : l)),
    );
  }

  /**
   * After the hang-up: the file, its checksum and size; a failure is kept with its reason. A row
   * whose end is already set was stopped by `shutdown`: it ends there, its capture is closed.
   */
  async finish(callId: string, hungUpAt: number): Promise<void> {
    const row = this.d.repo.get(callId);
    if (!row || row.status !== 'recording' || this.finishing.has(callId) || !this.d.media) return;
    this.finishing.add(callId);
    try {
      const stopped = row.endedAt !== null;
      const endedAt = row.endedAt ?? hungUpAt;
      this.d.repo.ended(callId, endedAt);
      const end = endedAt - row.answeredAt;
      const pauses = row.pauses.map(([a, b]): [number, number] => [a, b ?? end]);
      const legs = row.legs.map((l) => ({ callId: l.callId, fromMs: l.fromMs, toMs: Math.min(l.toMs ?? end, end) }));
      for (const l of row.legs) this.legOwner.delete(l.callId);
      const out = await this.d.media.finish(callId, { answeredAt: row.answeredAt, endedAt, pauses, legs }, { stopped });
      const abs = path.join(this.d.dir, out.file);
      const sha256 = await hashFile(abs);
      this.d.repo.stored(callId, {
        file: out.file,
        format: out.format,
        sizeBytes: fs.statSync(abs).size,
        sha256,
        durationMs: endedAt - row.answeredAt,
        at: this.d.clock.now(),
      });
    } catch (err) {
      this.d.logger.error({ err, callId }, 'recording: no file for this call (the recorder failed)');
      this.d.repo.failed(callId, 'daemon-failure');
    } finally {
      this.finishing.delete(callId);
    }
  }

  /**
   * The router is stopping (SIGTERM; start.sh stops it before Kamailio and rtpengine): every open
   * recording ends now. rtpengine is told to stop recording each call (10.5 crashes in
   * recording_finish when it is stopped with recordings open, and their pcaps are then cut), and
   * the part recorded is mixed and stored with its checksum, as many as fit in `budgetMs`; the
   * others keep their end and their closed capture, and the next start stores them (`recover`).
   */
  async shutdown(budgetMs = 6000): Promise<void> {
    const media = this.d.media;
    if (!media?.stop) return;
    const open = this.d.repo.unfinished().filter((r) => !this.finishing.has(r.callId) && r.endedAt === null);
    if (open.length === 0) return;
    const now = this.d.clock.now();
    for (const r of open) this.d.repo.ended(r.callId, now);
    const captures = open.flatMap((r) => [r.callId, ...r.legs.filter((l) => l.toMs === null).map((l) => l.callId)]);
    await Promise.all(
      captures.map((id) =>
        media.stop!(id).catch((err: unknown) =>
          this.d.logger.warn({ err, callId: id }, 'recording: rtpengine did not take the stop (the call ended meanwhile?)'),
        ),
      ),
    );
    const deadline = Date.now() + budgetMs;
    for (const r of open) {
      if (Date.now() > deadline) break;
      await this.finish(r.callId, now);
      this.d.logger.info({ callId: r.callId }, 'recording: stored up to the stop (the router stopped during the call)');
    }
  }

  /**
   * Rows a stopped router left as recording: finished if their calls ended, or if `shutdown`
   * stopped them (their end is set); for calls still on,
   * recording is asked for again (a router killed right after the answer may not have asked yet;
   * rtpengine takes a repeated start as a no-op), without a second notice.
   */
  recover(): void {
    for (const r of this.d.repo.unfinished()) {
      const call = this.d.calls.find(r.callId);
      const hungUp = call ? event(call, 'hung-up') : null;
      if (r.endedAt !== null) void this.finish(r.callId, r.endedAt);
      else if (hungUp) void this.finish(r.callId, hungUp.at);
      else if (call && this.d.media && r.pauses.at(-1)?.[1] !== null) {
        this.d.media
          .start(r.callId, { notice: false, restart: true })
          .catch((err: unknown) => this.d.logger.warn({ err, callId: r.callId }, 'recording: could not resume after a restart'));
      }
    }
  }

  /**
   * The call, if this user may hear its recording. A call the user may not see (unknown, out of
   * scope, another seat's) answers 404 like every call route, so its existence is not revealed;
   * 403 only where the user sees the call but may not hear it (a seat's own call of an earlier
   * day, a call it is handling but did not answer).
   */
  allowedCall(user: SessionUser, callId: string): Call {
    const call = this.d.calls.visibleCall(user, callId);
    if (can(user.role, 'calls:read-all') && this.d.calls.inScope(user, call)) return call;
    const answered = event(call, 'answered');
    if (user.seatId !== null && answeringSeat(call) === user.seatId && answered) {
      if (localDay(answered.at, this.d.calls.utcOffsetMinutes) === this.d.calls.today()) return call;
      throw new DomainError('FORBIDDEN', '坐席只能收听自己当天接听的电话录音');
    }
    throw new DomainError('FORBIDDEN', '只能收听自己接听的电话录音');
  }

  view(user: SessionUser, callId: string): RecordingView {
    const call = this.allowedCall(user, callId);
    const row = this.d.repo.get(callId);
    const base: RecordingView = {
      callId,
      available: false,
      durationMs: row?.durationMs ?? null,
      sizeBytes: row?.status === 'stored' ? row.sizeBytes : null,
      sha256Ok: null,
      format: row?.status === 'stored' ? (row.format as 'mp3' | 'wav') : null,
      pauses: (row?.pauses ?? []).map(([a, b]) => ({ fromMs: a, toMs: b ?? row!.durationMs ?? a })),
      holds: holdsOf(call, row),
      reason: null,
      linked: [
        ...call.events.flatMap((e) =>
          e.type === 'transferred-in' ? [{ callId: e.fromCallId, relation: 'transferred-from' as const }] : [],
        ),
        ...this.d.repo.transferredFrom(callId).map((id) => ({ callId: id, relation: 'transferred-to' as const })),
      ],
      consultations: (row?.legs ?? []).map((l) => ({
        seatId: l.seatId,
        to: l.to,
        fromMs: l.fromMs,
        toMs: l.toMs ?? row?.durationMs ?? l.fromMs,
      })),
    };
    const missing = this.missingReason(call, row);
    if (missing) return { ...base, reason: missing, sha256Ok: missing === 'checksum-mismatch' ? false : null };
    return { ...base, available: true, sha256Ok: true };
  }

  /** The file to stream, after the checks; audits the playback (once per user and call in 10 min) or the download. */
  openAudio(
    user: SessionUser,
    callId: string,
    opts: { download: boolean; reason: string; firstChunk: boolean },
  ): { file: string; format: string; size: number } {
    const call = this.allowedCall(user, callId);
    const row = this.d.repo.get(callId);
    const missing = this.missingReason(call, row);
    if (missing === 'checksum-mismatch') throw new DomainError('CONFLICT', '录音文件校验不符（文件已被改动），已记录，不能播放');
    if (missing || !row?.file) throw new DomainError('NOT_FOUND', `这通电话没有可播放的录音（${REASON_TEXT[missing ?? 'file-missing']}）`);
    const actor = { id: user.id, username: user.username, role: user.role };
    const key = `${user.id}:${callId}`;
    const now = this.d.clock.now();
    if (opts.download) {
      this.d.audit({ actor, action: 'recording.download', target: `call:${callId}`, reason: opts.reason });
    } else if (opts.firstChunk && now - (this.lastPlay.get(key) ?? -Infinity) > PLAY_AUDIT_WINDOW_MS) {
      this.lastPlay.set(key, now);
      this.d.audit({ actor, action: 'recording.play', target: `call:${callId}` });
    }
    return { file: path.join(this.d.dir, row.file), format: row.format ?? 'mp3', size: row.sizeBytes ?? 0 };
  }

  private missingReason(call: Call, row: RecordingRecord | null): RecordingMissingReason | null {
    if (!event(call, 'answered')) return 'not-answered';
    if (!row) return this.d.offCategories.includes(categoryOf(call)) ? 'not-recorded-category' : 'daemon-failure';
    switch (row.status) {
      case 'off':
        return 'not-recorded-category';
      case 'recording':
        return 'in-progress';
      case 'deleted':
        return 'expired';
      case 'failed':
        return (row.reason as RecordingMissingReason | null) ?? 'daemon-failure';
      case 'stored':
        return this.integrity(row);
    }
  }

  /** Whether the stored file is there and unchanged (re-hashed when its size or mtime moved). */
  private integrity(row: RecordingRecord): RecordingMissingReason | null {
    const abs = path.join(this.d.dir, row.file ?? '');
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      this.d.logger.error({ callId: row.callId, file: abs }, 'recording: the stored file is missing');
      return 'file-missing';
    }
    const seen = this.verified.get(row.callId);
    let ok = seen && seen.size === st.size && seen.mtimeMs === st.mtimeMs ? seen.ok : null;
    if (ok === null) {
      ok = hashFileSync(abs) === row.sha256;
      this.verified.set(row.callId, { size: st.size, mtimeMs: st.mtimeMs, ok });
      if (!ok) this.d.logger.error({ callId: row.callId, file: abs }, 'recording: the file does not match its checksum (altered)');
    }
    return ok ? null : 'checksum-mismatch';
  }
}

export const REASON_TEXT: Record<RecordingMissingReason, string> = {
  'not-recorded-category': '该类别不录音',
  'recording-off': '未开启录音（无电话系统或 RECORDING=off）',
  'not-answered': '未接通',
  'in-progress': '通话中，挂机后可听',
  'file-missing': '录音文件缺失',
  'checksum-mismatch': '录音文件校验不符',
  'daemon-failure': '录音进程故障，本通未录下',
  expired: '已超过保存期限并删除',
};

/** Holds from the call's events, in ms from the answer (an open hold ends at the hang-up). */
export function holdsOf(call: Call, row: RecordingRecord | null): RecordingSpan[] {
  const answered = event(call, 'answered');
  if (!answered) return [];
  const end = event(call, 'hung-up')?.at ?? row?.endedAt ?? null;
  const out: RecordingSpan[] = [];
  let from: number | null = null;
  for (const e of call.events) {
    if (e.type === 'held' && from === null) from = e.at;
    if (e.type === 'resumed' && from !== null) {
      out.push({ fromMs: from - answered.at, toMs: e.at - answered.at });
      from = null;
    }
  }
  if (from !== null && end !== null) out.push({ fromMs: from - answered.at, toMs: end - answered.at });
  return out;
}

export function hashFileSync(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
