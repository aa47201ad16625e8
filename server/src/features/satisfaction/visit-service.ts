import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { RETRY_OUTCOMES, isSatisfied, type VisitOutcomeInput, type VisitStatus } from '../../contract/index.js';
import { can } from '../../contract/permissions.js';
import { CHINA_UTC_OFFSET_MIN, localDateTime } from '../../domain/calendar.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import type { SessionUser } from '../auth/auth-service.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import type { RatingRepository } from './rating-repository.js';
import type { FiledSummaryRow, NewVisitTask, VisitRepository, VisitTask } from './visit-repository.js';

const HOUR = 3600_000;

/** What a task made from a filed summary takes from it (its source, reference and due time aside). */
const taskBaseOf = (s: FiledSummaryRow) => ({
  callId: s.callId,
  caller: s.caller,
  categoryId: s.categoryId,
  centreId: s.centreId,
  seatId: s.seatId,
  createdAt: s.filedAt,
  note: null,
});

export interface VisitPolicy {
  dissatisfiedDueH: number;
  callbackDueH: number;
  /** The centre a 12345 call-back ticket's task belongs to (tickets carry none): the city centre. */
  ticketCentreId: string;
  samplePercent: number;
  sampleDueH: number;
  retrySpacingMin: number;
  maxAttempts: number;
}

/** Whether a call falls in the quality sample: a fixed hash of its id, so a restart decides the same. */
export function inSample(callId: string, percent: number): boolean {
  const h = crypto.createHash('sha256').update(callId).digest().readUInt32BE(0);
  return h / 0x1_0000_0000 < percent / 100;
}

/**
 * The 回访 worklist. Tasks come from a dissatisfied rating (created in the rating's transaction by
 * SatisfactionService), a call ended because its seat's console was gone (坐席掉线, in that
 * hang-up's commit), every open callback request, every 12345 ticket asking for a call-back,
 * every 预约回电 summary (due at its booked time) and a sample of the other filed summaries; `sync`
 * picks up all but the first from the tables (at
 * start, on every list, and when a callback request is pushed), so a crash between a source's commit
 * and its task loses nothing. A task closes only with an outcome; no answer / busy are retried,
 * spaced further each time, until `maxAttempts`.
 */
export class VisitService {
  constructor(
    private readonly o: {
      db: Db;
      repo: VisitRepository;
      ratings: RatingRepository;
      clock: Clock;
      logger: Logger;
      policy: VisitPolicy;
      /** The hotline's offset (routing configuration) for the times a refusal names; China time when absent. */
      utcOffsetMinutes?: () => number;
    },
  ) {}

  /** Refuses a retry before its spacing, naming the time in the hotline's local time ("再试" / "再拨"). */
  assertSpaced(t: VisitTask, now: number, verb: '再试' | '再拨'): void {
    if (t.attempts === 0 || now >= t.nextAttemptAt) return;
    const at = localDateTime(t.nextAttemptAt, this.o.utcOffsetMinutes?.() ?? CHINA_UTC_OFFSET_MIN);
    throw new DomainError('CONFLICT', `距上次未接通的间隔不足,请在 ${at} 之后${verb}`);
  }

  get policy(): VisitPolicy {
    return this.o.policy;
  }

  /** Creates the tasks of callback requests and summaries not seen yet; returns how many. */
  sync(): number {
    const { repo, policy, clock } = this.o;
    return immediateTransaction(this.o.db, () => {
      let created = repo.createFromCallbacks(policy.callbackDueH * HOUR);
      created += repo.createFromTickets(policy.callbackDueH * HOUR, policy.ticketCentreId);
      for (;;) {
        const rows = repo.summariesSince(repo.summariesSeen());
        if (rows.length === 0) break;
        for (const s of rows) {
          const base = taskBaseOf(s);
          if (s.disposition === 'callback' && s.followUpAt) {
            repo.insert({ ...base, source: 'summary-callback', sourceRef: s.callId, dueAt: s.followUpAt });
            created++;
          } else if (s.disposition !== 'invalid' && inSample(s.callId, policy.samplePercent)) {
            repo.insert({ ...base, source: 'quality-sample', sourceRef: s.callId, dueAt: s.filedAt + policy.sampleDueH * HOUR });
            created++;
          }
        }
        repo.setSummariesSeen(rows.at(-1)!.seq, clock.now());
      }
      // A summary amended to 预约回电 (or to another booked time) after it was first seen.
      for (;;) {
        const rows = repo.amendedSince(repo.summariesSeen('amended'));
        if (rows.length === 0) break;
        for (const s of rows) {
          if (s.disposition !== 'callback' || !s.followUpAt) continue;
          const isNew = repo.create({ ...taskBaseOf(s), source: 'summary-callback', sourceRef: s.callId, dueAt: s.followUpAt });
          if (isNew) created++;
          else repo.rebook(s.callId, s.followUpAt, clock.now());
        }
        repo.setSummariesSeen(rows.at(-1)!.seq, clock.now(), 'amended');
      }
      return created;
    });
  }

  /**
   * Inside the rating's transaction: a dissatisfied rating's task, due `dissatisfiedDueH` later. One
   * per call: a second 不满意 for the same call (by phone, then by SMS) is the task already there,
   * so the caller is not called back twice and 不满意回访及时率 counts the caller once.
   */
  createForDissatisfied(t: Omit<NewVisitTask, 'source' | 'dueAt'> & { callId: string }): VisitTask {
    const { repo, policy } = this.o;
    return (
      repo.dissatisfiedOf(t.callId) ?? repo.insert({ ...t, source: 'dissatisfied', dueAt: t.createdAt + policy.dissatisfiedDueH * HOUR })
    );
  }

  /**
   * 坐席掉线回电: the call was ended because its seat's console was gone (features/supervisor
   * seat-lost-service); the caller is called back within the call-back time limit. One per call.
   */
  createForSeatLost(t: Omit<NewVisitTask, 'source' | 'sourceRef' | 'dueAt'> & { callId: string }): VisitTask {
    const { repo, policy } = this.o;
    return repo.insert({ ...t, source: 'seat-lost', sourceRef: t.callId, dueAt: t.createdAt + policy.callbackDueH * HOUR });
  }

  /** The 不满意回访 task of a call, if one was made. */
  dissatisfiedTaskOf(callId: string): VisitTask | null {
    return this.o.repo.dissatisfiedOf(callId);
  }

  /** Staff see every task; a seat only those assigned to it. */
  /** centres: a staff reader's centres in scope (null = every centre); seats see their own tasks. */
  list(user: SessionUser, status: VisitStatus, limit: number, centres: readonly string[] | null = null, offset = 0): VisitTask[] {
    this.sync();
    if (can(user.role, 'calls:read-all')) return this.o.repo.list(status, this.o.clock.now(), limit, centres, null, offset);
    // A seat's own tasks, selected in SQL: filtering the hotline's latest 5000 left a seat's
    // closed tasks out of 已关闭 once 5000 others had closed after them.
    if (!user.seatId) return [];
    return this.o.repo.list(status, this.o.clock.now(), limit, null, user.seatId, offset);
  }

  /** The task if this user may work it (404 otherwise, as if it did not exist). */
  taskFor(user: SessionUser, id: number): VisitTask {
    const t = this.o.repo.get(id);
    if (!t || (!can(user.role, 'calls:read-all') && (t.assigneeSeatId === null || t.assigneeSeatId !== user.seatId))) {
      throw new DomainError('NOT_FOUND', `没有找到编号为 ${id} 的回访任务,或您无权处理`);
    }
    return t;
  }

  assign(user: SessionUser, id: number, seatId: string | null): VisitTask {
    if (!can(user.role, 'calls:read-all')) throw new DomainError('FORBIDDEN', '只有班长或管理人员可以分派回访任务');
    this.taskFor(user, id);
    this.o.repo.assign(id, seatId, this.o.clock.now());
    return this.o.repo.get(id)!;
  }

  /** Records one attempt's outcome; closes the task unless it is to be tried again. */
  recordOutcome(user: SessionUser, id: number, input: VisitOutcomeInput): { task: VisitTask; followUp: VisitTask | null } {
    return immediateTransaction(this.o.db, () => this.record(this.taskFor(user, id), user.id, input));
  }

  /**
   * A click-to-call's busy / no answer, recorded by the router for the user who dialled (who was
   * allowed the task when dialling). Nothing when the task was closed meanwhile.
   */
  recordDialOutcome(id: number, userId: number, outcome: 'no-answer' | 'busy'): VisitTask | null {
    return immediateTransaction(this.o.db, () => {
      const t = this.o.repo.get(id);
      if (!t || t.status === 'closed') return null;
      return this.record(t, userId, { outcome }, false).task;
    });
  }

  /** Inside a transaction: one attempt's outcome on a task the caller may work. */
  private record(t: VisitTask, userId: number, input: VisitOutcomeInput, spaced = true): { task: VisitTask; followUp: VisitTask | null } {
    const { repo, clock, policy } = this.o;
    if (t.status === 'closed') throw new DomainError('CONFLICT', '该回访任务已关闭,不能再记录结果');
    const now = clock.now();
    if (spaced && RETRY_OUTCOMES.includes(input.outcome)) this.assertSpaced(t, now, '再试');
    if (input.outcome !== 'reached' && input.score !== undefined) {
      throw new DomainError('VALIDATION', '只有接通时才能记录来电人的评价');
    }
    repo.recordAttempt(t.id, {
      userId,
      outcome: input.outcome,
      score: input.score ?? null,
      comment: input.comment ?? null,
      followUp: input.followUp?.note ?? null,
      at: now,
    });
    const attempts = t.attempts + 1;
    const retry = RETRY_OUTCOMES.includes(input.outcome) && attempts < policy.maxAttempts;
    const next: VisitTask = {
      ...t,
      attempts,
      status: retry ? 'open' : 'closed',
      outcome: retry ? null : input.outcome,
      closedAt: retry ? null : now,
      reachedAt: input.outcome === 'reached' ? now : t.reachedAt,
      nextAttemptAt: retry ? now + policy.retrySpacingMin * 60_000 * attempts : t.nextAttemptAt,
    };
    repo.update(next, now);
    if (next.status === 'closed' && t.source === 'callback-request' && t.callId) repo.closeCallbackRequest(t.callId, now);
    if (input.score !== undefined && t.callId) {
      const facts = this.o.ratings.callFacts(t.callId);
      if (facts) {
        const { score } = input;
        this.o.ratings.insert(
          {
            callId: t.callId,
            source: 'visit',
            score,
            satisfied: isSatisfied(score),
            comment: input.comment ?? null,
            externalId: null,
            ratedAt: now,
          },
          facts,
        );
      }
    }
    let followUp: VisitTask | null = null;
    if (input.followUp) {
      if (input.followUp.dueAt <= now) throw new DomainError('VALIDATION', '跟进时间须晚于现在');
      followUp = repo.insert({
        source: 'follow-up',
        sourceRef: `${t.id}:${attempts}`,
        callId: t.callId,
        caller: t.caller,
        categoryId: t.categoryId,
        centreId: t.centreId,
        seatId: t.seatId,
        createdAt: now,
        dueAt: input.followUp.dueAt,
        note: input.followUp.note,
      });
      // The follow-up stays with the seat that had the task (it promised it): unassigned, it left
      // that seat's worklist until a supervisor gave it out again.
      if (t.assigneeSeatId) {
        repo.assign(followUp.id, t.assigneeSeatId, now);
        followUp = repo.get(followUp.id)!;
      }
    }
    return { task: repo.get(t.id)!, followUp };
  }
}
