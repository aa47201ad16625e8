import type { QcConfigInput, QcConfigView, QcDecisionInput, QcFormItem, QcReason, QcScoreInput, QcStatus } from '../../contract/index.js';
import { can } from '../../contract/permissions.js';
import type { Clock } from '../../domain/clock.js';
import type { QcFact } from '../../domain/stats/qc-figures.js';
import { DomainError } from '../../domain/errors.js';
import type { AuditInput } from '../audit/audit-service.js';
import type { SessionUser } from '../auth/auth-service.js';
import type { ScopeService } from '../users/scope-service.js';
import { QcRepository, type QcFactRow, type QcItemRecord, type QcReviewRecord, type QcScoreRecord } from './qc-repository.js';
import type { Db } from '../../store/db.js';
import {
  checkDecision,
  checkReviewRequest,
  DEFAULT_REVIEW_DAYS,
  DEFAULT_SAMPLE_PERCENT,
  defaultForm,
  drawSample,
  formFrom,
  reasonsOfSummary,
  scoreAgainst,
  totalOf,
  transition,
} from './qc-rules.js';

const KEY = {
  percent: 'qc.sample_percent',
  reviewDays: 'qc.review_days',
  revisions: 'qc.revisions_seen',
  ratings: 'qc.ratings_seen',
  alerts: 'qc.alerts_seen',
} as const;

export interface QcServiceDeps {
  repo: QcRepository;
  clock: Clock;
  /** The sampling draw's source of numbers in [0, 1); tests inject a fixed sequence. */
  random?: () => number;
  scope: Pick<ScopeService, 'seesCall' | 'centreList'>;
  audit: (entry: AuditInput) => void;
}

/** An item with everything its reader may see of the inspection. */
export interface QcItemState {
  item: QcItemRecord;
  inspection: QcScoreRecord | null;
  reviewScore: QcScoreRecord | null;
  review: QcReviewRecord | null;
  reviewDays: number;
}

/**
 * Quality inspection (质检). The worklist fills from three durable sources, caught up by `sync`
 * (at start, before every read) from watermarks, so a crash between a source's commit and the
 * worklist loses nothing: every summary revision (the first one draws the random sample, once per
 * call; any one may name a complaint or a 重大事项), every dissatisfied rating, every 重大事项
 * alert. Inspectors (qc:inspect, in their centres) score an item once on the form in force; the
 * seat may ask for a review within the window; another inspector decides. Every step is audited.
 */
export class QcService {
  private readonly random: () => number;

  constructor(private readonly o: QcServiceDeps) {
    this.random = o.random ?? Math.random;
  }

  // ---------------------------------------------------------------- configuration

  config(): QcConfigView {
    const { repo } = this.o;
    const form = repo.form() ?? { version: 1, items: defaultForm() };
    return {
      samplePercent: Number(repo.setting(KEY.percent) ?? DEFAULT_SAMPLE_PERCENT),
      reviewDays: Number(repo.setting(KEY.reviewDays) ?? DEFAULT_REVIEW_DAYS),
      formVersion: form.version,
      items: form.items,
    };
  }

  updateConfig(user: SessionUser, input: QcConfigInput): QcConfigView {
    if (!can(user.role, 'qc:configure')) throw new DomainError('FORBIDDEN', '只有系统管理员可以修改质检抽检比例和评分表');
    const { repo, clock } = this.o;
    // Summaries filed before the change are drawn with the share they were filed under.
    this.sync();
    return repo.transaction(() => {
      const before = this.config();
      const now = clock.now();
      const items = formFrom(input.items);
      const changed = items.some((i, n) => i.weight !== before.items[n]?.weight || i.max !== before.items[n]?.max);
      // A new form version only when the items change: scores keep the version they were given with.
      if (changed || repo.form() === null) repo.insertForm(changed ? before.formVersion + 1 : 1, items, now, user.id);
      repo.setSetting(KEY.percent, String(input.samplePercent), now);
      repo.setSetting(KEY.reviewDays, String(input.reviewDays), now);
      const after = this.config();
      this.o.audit({ actor: user, action: 'qc.config', target: 'qc-config', before, after });
      return after;
    });
  }

  // ---------------------------------------------------------------- the worklist's sources

  /** Catches up with summaries, ratings and alerts since the last pass; returns how many reasons were added. */
  sync(): number {
    const { repo, clock } = this.o;
    let added = 0;
    const add = (callId: string, reasons: QcReason[], now: number) => {
      if (reasons.length === 0) return;
      const facts = repo.callFacts(callId);
      if (!facts || facts.answeredAt === null) return; // only answered calls are inspected
      repo.addReasons(facts, reasons, now);
      added++;
    };
    const pass = <R extends { seq: number }>(key: string, read: (seq: number) => R[], each: (r: R, now: number) => void) => {
      for (;;) {
        // Nothing new (the usual case on a read): no write transaction at all.
        if (read(Number(repo.setting(key) ?? 0)).length === 0) return;
        const done = repo.transaction(() => {
          const rows = read(Number(repo.setting(key) ?? 0));
          if (rows.length === 0) return true;
          const now = clock.now();
          for (const r of rows) each(r, now);
          repo.setSetting(key, String(rows.at(-1)!.seq), now);
          return rows.length < 500;
        });
        if (done) return;
      }
    };
    pass(
      KEY.revisions,
      (s) => repo.revisionsSince(s),
      (r, now) => {
        const summary = JSON.parse(r.json) as Record<string, unknown>;
        const reasons = reasonsOfSummary(summary);
        if (r.revision === 1) {
          // The call becomes eligible when its summary is filed: the sample is drawn then, once.
          const percent = this.config().samplePercent;
          const sampled = drawSample(this.random, percent);
          if (repo.recordDraw(r.callId, sampled, percent, now) && sampled) reasons.push('sample');
        }
        add(r.callId, reasons, now);
      },
    );
    pass(
      KEY.ratings,
      (s) => repo.ratingsSince(s),
      (r, now) => {
        if (r.satisfied === 0) add(r.callId, ['dissatisfied'], now);
      },
    );
    pass(
      KEY.alerts,
      (s) => repo.alertsSince(s),
      (r, now) => add(r.callId, ['major'], now),
    );
    return added;
  }

  // ---------------------------------------------------------------- reading

  /** The worklist in the inspector's centres. */
  list(user: SessionUser, status: QcStatus | 'all', limit: number): QcItemRecord[] {
    this.requireInspector(user);
    this.sync();
    return this.o.repo.list(status, limit, this.o.scope.centreList(user));
  }

  /** 我的质检: the seat's scored calls, newest first. */
  mine(user: SessionUser, limit: number): QcItemRecord[] {
    if (!can(user.role, 'qc:own') || !user.seatId) throw new DomainError('FORBIDDEN', '只有坐席可以查看本人的质检结果');
    this.sync();
    return this.o.repo.mine(user.seatId, limit);
  }

  /**
   * One item, for an inspector in scope or for the seat it concerns once scored; anyone else gets
   * the same 404 whether it exists or not. An inspector's opening is audited (they read the call's
   * summary, a confidential one included, for the inspection).
   */
  open(user: SessionUser, callId: string): QcItemState {
    this.sync();
    const state = this.stateFor(user, callId);
    if (can(user.role, 'qc:inspect')) this.o.audit({ actor: user, action: 'qc.open', target: `call:${callId}`, reason: '质检' });
    return state;
  }

  stateFor(user: SessionUser, callId: string): QcItemState {
    const { repo, scope } = this.o;
    const item = repo.item(callId);
    const visible =
      item !== null &&
      ((can(user.role, 'qc:inspect') && scope.seesCall(user, { homeCentreId: item.centreId, seatIds: [item.seatId] })) ||
        (can(user.role, 'qc:own') && user.seatId !== null && item.seatId === user.seatId && item.status !== 'pending'));
    if (!visible) throw new DomainError('NOT_FOUND', `质检清单中没有编号为 ${callId} 的来电,或您无权查看`);
    const scores = repo.scores(callId);
    return {
      item,
      inspection: scores.find((s) => s.kind === 'inspection') ?? null,
      reviewScore: scores.find((s) => s.kind === 'review') ?? null,
      review: repo.review(callId),
      reviewDays: this.config().reviewDays,
    };
  }

  // ---------------------------------------------------------------- inspecting and reviewing

  /** Scores a pending item on the form in force (the inspector must have seen that version). */
  score(user: SessionUser, callId: string, input: QcScoreInput): QcItemState {
    this.requireInspector(user);
    const { repo, clock } = this.o;
    return repo.transaction(() => {
      const { item } = this.stateFor(user, callId);
      const next = transition(item.status, 'score');
      const form = this.config();
      if (input.formVersion !== form.formVersion) {
        throw new DomainError('CONFLICT', '评分表已被管理员修改,请刷新后按新评分表评分');
      }
      const items = scoreAgainst(form.items, input.scores);
      const now = clock.now();
      const score: QcScoreRecord = {
        kind: 'inspection',
        formVersion: form.formVersion,
        items,
        total: totalOf(items),
        comment: input.comment,
        userId: user.id,
        userName: user.displayName,
        at: now,
      };
      repo.insertScore(callId, score);
      repo.setStatus(callId, next, now);
      this.o.audit({
        actor: user,
        action: 'qc.score',
        target: `call:${callId}`,
        after: { total: score.total, formVersion: score.formVersion, items: items.map((i) => [i.key, i.score]) },
      });
      return this.stateFor(user, callId);
    });
  }

  /** 申请复核: the seat the item concerns, once, within the window after scoring. */
  requestReview(user: SessionUser, callId: string, reason: string): QcItemState {
    if (!can(user.role, 'qc:own')) throw new DomainError('FORBIDDEN', '只有被质检的坐席可以申请复核');
    const { repo, clock } = this.o;
    return repo.transaction(() => {
      const { item, inspection, reviewDays } = this.stateFor(user, callId);
      const now = clock.now();
      const next = checkReviewRequest(item.status, inspection?.at ?? 0, reviewDays, now);
      repo.insertReview(callId, reason, user.id, now);
      repo.setStatus(callId, next, now);
      this.o.audit({
        actor: user,
        action: 'qc.review-request',
        target: `call:${callId}`,
        reason,
        before: { total: inspection?.total ?? null },
      });
      return this.stateFor(user, callId);
    });
  }

  /** The decision on a review: 维持 (the score stands) or 改分 (a new score on the same form as the first). */
  decide(user: SessionUser, callId: string, input: QcDecisionInput): QcItemState {
    this.requireInspector(user);
    const { repo, clock } = this.o;
    return repo.transaction(() => {
      const { item, inspection } = this.stateFor(user, callId);
      const next = checkDecision(item.status, inspection?.userId ?? null, user.id);
      const now = clock.now();
      let total = inspection?.total ?? null;
      if (input.decision === 'rescored') {
        const form: QcFormItem[] = (inspection?.items ?? []).map(({ score: _score, ...i }) => i);
        const items = scoreAgainst(form, input.scores ?? {});
        total = totalOf(items);
        repo.insertScore(callId, {
          kind: 'review',
          formVersion: inspection?.formVersion ?? this.config().formVersion,
          items,
          total,
          comment: input.comment,
          userId: user.id,
          userName: user.displayName,
          at: now,
        });
      }
      repo.decideReview(callId, input.decision, input.comment, user.id, user.displayName, now);
      repo.setStatus(callId, next, now);
      this.o.audit({
        actor: user,
        action: 'qc.review-decide',
        target: `call:${callId}`,
        before: { total: inspection?.total ?? null },
        after: { decision: input.decision, total },
        reason: input.comment,
      });
      return this.stateFor(user, callId);
    });
  }

  /** The worklist's items of the calls enqueued in [from, to), for the report figures (caught up first). */
  facts(from: number, to: number): QcFact[] {
    this.sync();
    return this.o.repo.factsIn(from, to).map(qcFactOf);
  }

  private requireInspector(user: SessionUser): void {
    if (!can(user.role, 'qc:inspect')) throw new DomainError('FORBIDDEN', '只有班长、值班负责人或系统管理员可以质检评分或决定复核');
  }
}

/** One worklist item as the report figures read it. */
export function qcFactOf(r: QcFactRow): QcFact {
  return {
    callId: r.callId,
    seatId: r.seatId,
    homeCentreId: r.centreId,
    categoryId: r.categoryId,
    enqueuedAt: r.enqueuedAt,
    sampled: r.sample === 1,
    total: r.total,
    reviewRequested: r.reviewRequested === 1,
    reviewChanged: r.reviewChanged === 1,
  };
}

/**
 * The QC facts read from a connection of its own (the report worker's read-only one); the
 * router synced the worklist before it handed the job over (ReportService.catchUp).
 */
export function readQcFacts(db: Db): (from: number, to: number) => QcFact[] {
  const repo = new QcRepository(db);
  return (from, to) => repo.factsIn(from, to).map(qcFactOf);
}
