import type { Logger } from 'pino';
import { CONFIDENTIAL_READ_REASON_MIN, CONFIDENTIAL_READ_REFUSAL, type CallSummaryInput, type SummaryDraft } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import type { Acd } from '../../domain/engine.js';
import { DomainError } from '../../domain/errors.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import type { SessionUser } from '../auth/auth-service.js';
import type { AuditInput } from '../audit/audit-service.js';
import type { CallService } from '../calls/call-service.js';
import { localDay } from '../shared/local-day.js';
import type { AlertService } from './alert-service.js';
import type { StoredDraft, StoredSummary, SummaryRepository } from './summary-repository.js';

/** A filed summary and whether the viewer may amend it now. */
export interface FiledSummary {
  summary: StoredSummary;
  amendable: boolean;
}

export interface SummaryServiceDeps {
  db: Db;
  engine: Acd;
  calls: CallService;
  summaries: SummaryRepository;
  alerts: AlertService;
  clock: Clock;
  logger: Logger;
  audit?: (entry: AuditInput) => void;
  /** A call from 12345 with a ticket: the result goes back in the summary's own commit. */
  handover?: HandoverOnFiling | null;
}

/** What filing tells the 12345 hand-over (features/handover's service). */
export interface HandoverOnFiling {
  summaryFiled(callId: string, seatId: string, ticket: string | null, input: CallSummaryInput, caller: string): unknown;
  afterCommit(result: never): void;
}

const alreadyFiled = () => new DomainError('CONFLICT', '本通电话的小结已提交,如需修改请使用修改功能');

/**
 * Call summaries (小结): the answering seat keeps a draft while it types, files the summary once
 * (which opens its wrap-up gate in the engine and, when risk-flagged, raises a major-matter
 * alert), and may amend it on the local day it was filed; every version is kept.
 *
 * `read*` arguments parse the request body; they are called once the call is known to be one
 * the user may write to, so a refusal comes before a complaint about the body.
 */
export class SummaryService {
  constructor(private readonly o: SummaryServiceDeps) {}

  /** The categories a summary may name (those of the routing configuration in force). */
  categories(): readonly { id: string }[] {
    return this.o.engine.config.categories;
  }

  /** Same-day amendment: only the author, and only on the local day the summary was filed. */
  amendable(s: StoredSummary, viewer: SessionUser, now: number): boolean {
    const offset = this.o.engine.config.utcOffsetMinutes;
    return viewer.seatId === s.seatId && localDay(s.filedAt, offset) === localDay(now, offset);
  }

  /**
   * The call's summary (if filed) and the user's own draft of it (if any). A confidential (保密)
   * summary is read by anyone but its author only with a reason, which the audit log keeps.
   */
  state(user: SessionUser, callId: string, reason = ''): { summary: FiledSummary | null; draft: StoredDraft | null } {
    const call = this.o.calls.visibleCall(user, callId);
    const now = this.o.clock.now();
    const s = this.o.summaries.summary(call.id);
    if (s?.input.confidential && s.seatId !== user.seatId) {
      if ([...reason].length < CONFIDENTIAL_READ_REASON_MIN) throw new DomainError('FORBIDDEN', CONFIDENTIAL_READ_REFUSAL);
      this.o.audit?.({ actor: user, action: 'summary.confidential-read', target: `call:${call.id}`, reason });
    }
    const draft = user.seatId ? this.o.summaries.draft(call.id, user.seatId) : null;
    return { summary: s ? this.filed(s, user, now) : null, draft };
  }

  /** Keeps what the answering seat has typed so far; returns when it was saved. */
  saveDraft(user: SessionUser, callId: string, readDraft: () => SummaryDraft): number {
    const { calls, summaries, clock } = this.o;
    const call = calls.visibleCall(user, callId);
    const seatId = calls.answeringUserSeat(user, call, '保存小结草稿');
    if (summaries.summary(call.id)) {
      throw new DomainError('CONFLICT', '本通电话的小结已提交,草稿不再保存;如需修改请使用修改功能');
    }
    const draft = readDraft();
    const now = clock.now();
    summaries.saveDraft(call.id, seatId, draft, now);
    return now;
  }

  /** Files the answering seat's summary (once per call). */
  file(user: SessionUser, callId: string, readInput: (now: number) => CallSummaryInput): FiledSummary {
    const { calls, summaries, engine, clock } = this.o;
    const call = calls.visibleCall(user, callId);
    const seatId = calls.answeringUserSeat(user, call, '提交小结');
    if (summaries.summary(call.id)) throw alreadyFiled();
    const now = clock.now();
    const input = readInput(now);

    // One commit: the summary, its alert and the engine's record of the filing (which may free
    // the seat from wrap-up) are stored together, so a kill never leaves one without the other.
    let handedBack: unknown = null;
    const alert = engine.unitOfWork(() => {
      if (summaries.summary(call.id)) throw alreadyFiled();
      summaries.insertSummary(call.id, seatId, input, now);
      summaries.deleteDrafts(call.id);
      const raised = this.o.alerts.raiseFromSummary(call.id, seatId, input, now);
      handedBack = this.o.handover?.summaryFiled(call.id, seatId, call.ticket12345, input, call.caller) ?? null;
      engine.summaryFiled(call.id, seatId);
      return raised;
    });
    if (alert) this.o.alerts.publish(alert);
    if (handedBack) this.o.handover?.afterCommit(handedBack as never);
    return this.filed(summaries.summary(call.id)!, user, now);
  }

  /** Amends a filed summary: its author, on the day it was filed; the new text becomes the next revision. */
  amend(user: SessionUser, callId: string, readInput: (now: number) => CallSummaryInput): FiledSummary {
    const { calls, summaries, engine, clock } = this.o;
    const call = calls.visibleCall(user, callId);
    const existing = summaries.summary(call.id);
    if (!existing) throw new DomainError('NOT_FOUND', '本通电话尚未提交小结,请先提交');
    if (user.seatId !== existing.seatId) throw new DomainError('FORBIDDEN', '只有提交这份小结的坐席可以修改它');
    const now = clock.now();
    const offset = engine.config.utcOffsetMinutes;
    const filedDay = localDay(existing.filedAt, offset);
    if (filedDay !== localDay(now, offset)) {
      throw new DomainError('CONFLICT', `小结只能在提交当天(${filedDay})修改,如需更正请联系班长`);
    }
    const input = readInput(now);
    const alert = immediateTransaction(this.o.db, () => {
      summaries.amendSummary(call.id, existing.seatId, input, now);
      return this.o.alerts.raiseFromSummary(call.id, existing.seatId, input, now);
    });
    if (alert) this.o.alerts.publish(alert);
    return this.filed(summaries.summary(call.id)!, user, now);
  }

  /** The filed summaries of some calls, as `viewer` sees them at `now`. */
  summariesOf(callIds: string[], viewer: SessionUser, now: number): Map<string, FiledSummary> {
    const filed = this.o.summaries.summariesOf(callIds);
    return new Map([...filed].map(([id, s]) => [id, this.filed(s, viewer, now)]));
  }

  /**
   * The startup repair for databases written before filing became one commit (a summary was
   * committed before the engine recorded it): a call in progress whose summary is on file but
   * has no summary-filed event gets it now, so its seat can leave wrap-up.
   */
  repairFilings(): void {
    const { engine, summaries, logger } = this.o;
    const inProgress = engine.activeCalls().filter((c) => c.state.kind === 'talking' || c.state.kind === 'wrap-up');
    const filed = summaries.summariesOf(inProgress.map((c) => c.id));
    for (const call of inProgress) {
      const s = filed.get(call.id);
      if (!s || call.events.some((e) => e.type === 'summary-filed')) continue;
      engine.summaryFiled(call.id, s.seatId);
      logger.info({ callId: call.id }, 'summary on file recorded by the engine after a restart');
    }
  }

  private filed(summary: StoredSummary, viewer: SessionUser, now: number): FiledSummary {
    return { summary, amendable: this.amendable(summary, viewer, now) };
  }
}
