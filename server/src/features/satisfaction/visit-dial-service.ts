import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { VisitDialView } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { outboundDurations, outboundResultOf } from '../../domain/stats/outbound.js';
import type { SessionUser } from '../auth/auth-service.js';
import type { AuditInput } from '../audit/audit-service.js';
import { SYSTEM_ACTOR } from '../audit/audit-service.js';
import type { VisitDialRepository } from './visit-dial-repository.js';
import type { VisitService } from './visit-service.js';

/** The outbound side of the telephony (telephony/outbound-line.ts), as this feature needs it. */
export interface OutboundPort {
  /** Resolves true once Kamailio holds the one-time token for this seat. */
  allow(a: { token: string; seatId: string; uri: string; callerId: string; ringS: number; ttlS: number }): Promise<boolean>;
  /** Where Kamailio's reports of the dials go. */
  listen(f: (ev: OutboundReport) => void): void;
}

/** What Kamailio reports of a click-to-call (the `outbound-*` events without `outbound-ready`). */
export type OutboundReport =
  | { event: 'outbound-refused'; token: string; seat: string }
  | { event: 'outbound-start'; token: string; callid: string }
  | { event: 'outbound-answered'; callid: string }
  | { event: 'outbound-failed'; callid: string; code: number }
  | { event: 'outbound-bye'; callid: string; by: 'seat' | 'callee' }
  | { event: 'outbound-sync-begin' }
  /** After a (re)connection: every outbound call Kamailio knows of, with what the router may have missed (times in ms). */
  | { event: 'outbound-synced'; calls: OutboundCallState[] };

/** An outbound call as a resync tells it (times in ms); what the router missed is applied from it. */
export interface OutboundCallState {
  callid: string;
  token: string;
  startedAt: number;
  answeredAt: number | null;
  end: { kind: 'failed'; code: number } | { kind: 'bye'; by: 'seat' | 'callee' } | null;
  endedAt: number | null;
}

export interface OutboundSettings {
  /** The trunk's host:port for outbound calls; '' = not configured. */
  trunkAddr: string;
  callerId: string;
  ringS: number;
  sipDomain: string;
}

/** How long the browser has to dial its token. */
const TOKEN_TTL_S = 60;
/** A started dial with no end reported after this long is taken as ended unseen (for inFlight only). */
const IN_FLIGHT_MAX_MS = 4 * 3600_000;

/** A final SIP code as the visit sees it (the outbound call's result, domain/stats/outbound.ts). */
export const dialResultOf = outboundResultOf;

/**
 * Click-to-call from the 回访 page. The browser gets a one-time target sip:visit-<token>@domain and
 * never the number: Kamailio holds token → (seat, trunk URI with the number) and refuses the token
 * from any other seat (kamailio-5-outbound.cfg.tmpl). Each dial is stored (visit_dials) and its end
 * recorded: a busy or unanswered call is the task's attempt at once (retries spaced and capped by
 * VisitService); an answered one keeps its talk time and the seat records the outcome with the
 * caller's rating. Dials and refusals are audited.
 */
export class VisitDialService {
  /** When the resync under way began (dials started before it are in its list, or ended unseen). */
  private syncBegunAt: number | null = null;

  constructor(
    private readonly o: {
      repo: VisitDialRepository;
      visits: VisitService;
      line: OutboundPort | null;
      settings: OutboundSettings;
      clock: Clock;
      logger: Logger;
      audit: (e: AuditInput) => void;
      /** The seat's state in the engine (ready, talking, …): a ready seat would be offered calls while it dials. */
      seatState?: (seatId: string) => string | null;
    },
  ) {}

  async dial(user: SessionUser, taskId: number): Promise<VisitDialView> {
    const { visits, line, settings, clock, repo } = this.o;
    const t = visits.taskFor(user, taskId);
    if (t.status === 'closed') throw new DomainError('CONFLICT', '该回访任务已关闭');
    if (!line || !settings.trunkAddr) {
      return {
        connected: false,
        target: null,
        message: '外呼线路未接通:未配置外呼中继(OUTBOUND_TRUNK_ADDR),请用座机拨打后在此记录回访结果',
      };
    }
    if (user.role !== 'seat' || !user.seatId) {
      throw new DomainError('FORBIDDEN', '浏览器外呼需要坐席账号的软电话:请把任务分派给坐席拨打');
    }
    const state = this.o.seatState?.(user.seatId) ?? null;
    if (state === 'ready') throw new DomainError('CONFLICT', '请先示忙再外呼:就绪状态下系统会把来电分配给您');
    if (state === 'ringing' || state === 'talking') throw new DomainError('CONFLICT', '您正在接听来电,请结束当前通话后再外呼');
    const now = clock.now();
    visits.assertSpaced(t, now, '再拨');
    if (this.inFlight(t.id)) throw new DomainError('CONFLICT', '该回访任务正在外呼中(另一个页面或坐席已拨打),请等当前呼叫结束后再拨');
    if (!/^\+?[0-9]{3,20}$/.test(t.caller)) throw new DomainError('CONFLICT', '该任务的号码无法拨打,请记录为号码错误');
    const token = crypto.randomBytes(16).toString('hex');
    repo.insert({ token, taskId: t.id, userId: user.id, seatId: user.seatId, createdAt: now });
    const ok = await line.allow({
      token,
      seatId: user.seatId,
      uri: `sip:${t.caller}@${settings.trunkAddr}`,
      callerId: settings.callerId,
      ringS: settings.ringS,
      ttlS: TOKEN_TTL_S,
    });
    if (!ok) {
      repo.finish({ token }, { result: 'failed', sipCode: null, at: clock.now(), talkMs: 0 });
      throw new DomainError('UNAVAILABLE', '外呼线路暂不可用(与 Kamailio 的连接中断),请稍后再拨');
    }
    this.o.audit({ actor: user, action: 'visit.dial', target: `visit:${t.id}`, after: { dial: token.slice(0, 8), seatId: user.seatId } });
    return { connected: true, target: `sip:visit-${token}@${settings.sipDomain}`, message: null };
  }

  /**
   * Whether a dial of the task is under way: a token not dialled yet and still valid, or a call
   * Kamailio started that has not ended (one that went unreported for IN_FLIGHT_MAX_MS no longer
   * counts, so a lost end cannot lock the task). One call at a time per citizen.
   */
  inFlight(taskId: number): boolean {
    const now = this.o.clock.now();
    return this.o.repo
      .ofTask(taskId)
      .some((d) =>
        d.endedAt !== null ? false : d.startedAt === null ? now - d.createdAt < TOKEN_TTL_S * 1000 : now - d.startedAt < IN_FLIGHT_MAX_MS,
      );
  }

  /** Kamailio's report of a dial; a report for no known dial is logged and ignored. */
  onReport(ev: OutboundReport): void {
    const { repo, clock, logger } = this.o;
    const now = clock.now();
    switch (ev.event) {
      case 'outbound-refused':
        logger.warn({ seat: ev.seat }, 'a seat dialled an outbound token it does not hold: refused');
        this.o.audit({
          actor: SYSTEM_ACTOR,
          action: 'visit.dial-refused',
          target: `seat:${ev.seat}`,
          reason: '外呼令牌无效或不属于该坐席',
        });
        return;
      case 'outbound-start':
        repo.started(ev.token, ev.callid, now);
        return;
      case 'outbound-answered':
        repo.answered(ev.callid, now);
        return;
      case 'outbound-failed':
        this.failed(ev.callid, ev.code, now);
        return;
      case 'outbound-bye':
        this.ended(ev.callid, ev.by, now);
        return;
      case 'outbound-sync-begin':
        this.syncBegunAt = now;
        return;
      case 'outbound-synced':
        this.resync(ev.calls, now);
        return;
    }
  }

  /** A dial not connected: its final code, or null when it ended unseen. */
  private failed(callId: string, code: number | null, at: number): void {
    const { repo } = this.o;
    const d = repo.byCallId(callId);
    const result = code === null ? 'failed' : dialResultOf(code);
    if (!d || !repo.finish({ callId }, { result, sipCode: code, at, talkMs: 0 })) return;
    if (result !== 'failed') this.o.visits.recordDialOutcome(d.taskId, d.userId, result);
    this.o.audit({ actor: SYSTEM_ACTOR, action: 'visit.dial-result', target: `visit:${d.taskId}`, after: { result, sipCode: code } });
  }

  /** An answered dial ended at `at`: by a BYE (`by`), or unseen (null: the router learnt it at a resync). */
  private ended(callId: string, by: 'seat' | 'callee' | null, at: number): void {
    const { repo } = this.o;
    const d = repo.byCallId(callId);
    if (!d) return;
    const talkMs = outboundDurations({ ...d, startedAt: d.startedAt ?? d.createdAt, endedAt: at }).talkMs ?? 0;
    if (!repo.finish({ callId }, { result: 'answered', sipCode: 200, at, talkMs, hungUpBy: by })) return;
    this.o.audit({
      actor: SYSTEM_ACTOR,
      action: 'visit.dial-result',
      target: `visit:${d.taskId}`,
      after: { result: 'answered', talkMs, by },
    });
  }

  /**
   * After a (re)connection to Kamailio: what the router missed while it was away (a start, an
   * answer, an end, at Kamailio's times) is applied; a dial still open that Kamailio does not know
   * of (Kamailio restarted, or it ended over 12 hours ago) ended unseen, and is closed now: answered
   * with its talk time up to now, or not connected.
   */
  private resync(calls: OutboundCallState[], now: number): void {
    const { repo, logger } = this.o;
    const known = new Set<string>();
    for (const c of calls) {
      known.add(c.callid);
      if (!repo.byToken(c.token)) continue; // a consultation with 12345, not a 回访 dial
      repo.started(c.token, c.callid, c.startedAt);
      if (c.answeredAt !== null) repo.answered(c.callid, c.answeredAt);
      if (c.end?.kind === 'failed') this.failed(c.callid, c.end.code, c.endedAt ?? now);
      else if (c.end?.kind === 'bye') this.ended(c.callid, c.end.by, c.endedAt ?? now);
    }
    const before = this.syncBegunAt ?? now;
    this.syncBegunAt = null;
    for (const d of repo.openDials(before)) {
      if (d.callId === null || known.has(d.callId)) continue;
      logger.warn({ callId: d.callId, task: d.taskId }, 'resync: Kamailio no longer knows this outbound call: closed now');
      if (d.answeredAt !== null) this.ended(d.callId, null, now);
      else this.failed(d.callId, null, now);
    }
  }
}
