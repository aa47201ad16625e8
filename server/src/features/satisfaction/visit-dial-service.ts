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
  | { event: 'outbound-bye'; callid: string; by: 'seat' | 'callee' };

export interface OutboundSettings {
  /** The trunk's host:port for outbound calls; '' = not configured. */
  trunkAddr: string;
  callerId: string;
  ringS: number;
  sipDomain: string;
}

/** How long the browser has to dial its token. */
const TOKEN_TTL_S = 60;

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
    if (t.attempts > 0 && now < t.nextAttemptAt) {
      throw new DomainError('CONFLICT', `距上次未接通的间隔不足,请在 ${new Date(t.nextAttemptAt).toISOString()} 之后再拨`);
    }
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
      case 'outbound-failed': {
        const d = repo.byCallId(ev.callid);
        const result = dialResultOf(ev.code);
        if (!d || !repo.finish({ callId: ev.callid }, { result, sipCode: ev.code, at: now, talkMs: 0 })) return;
        if (result !== 'failed') this.o.visits.recordDialOutcome(d.taskId, d.userId, result);
        this.o.audit({
          actor: SYSTEM_ACTOR,
          action: 'visit.dial-result',
          target: `visit:${d.taskId}`,
          after: { result, sipCode: ev.code },
        });
        return;
      }
      case 'outbound-bye': {
        const d = repo.byCallId(ev.callid);
        if (!d) return;
        const talkMs = outboundDurations({ ...d, startedAt: d.startedAt ?? d.createdAt, endedAt: now }).talkMs ?? 0;
        const hungUpBy = ev.by;
        if (!repo.finish({ callId: ev.callid }, { result: 'answered', sipCode: 200, at: now, talkMs, hungUpBy })) return;
        this.o.audit({
          actor: SYSTEM_ACTOR,
          action: 'visit.dial-result',
          target: `visit:${d.taskId}`,
          after: { result: 'answered', talkMs, by: ev.by },
        });
        return;
      }
    }
  }
}
