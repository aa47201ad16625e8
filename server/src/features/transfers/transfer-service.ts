import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { TransferOutcome, TransferRequest } from '../../contract/index.js';
import type { Clock, TimerHandle } from '../../domain/clock.js';
import type { Call } from '../../domain/call.js';
import { CONSULT_HOLD_MS, TRANSFER_PRIORITY, type Acd, type IncomingCall } from '../../domain/engine.js';
import { DomainError } from '../../domain/errors.js';
import type { Seat } from '../../domain/seat.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import type { HandoverService } from '../handover/handover-service.js';
import type { TransferRecord, TransferRepository } from './transfer-repository.js';

/** Lets a seat's phone call the seat it consults (Kamailio refuses seat-to-seat INVITEs otherwise). */
export interface ConsultGate {
  allowConsult(fromSeatId: string, toSeatId: string, ttlMs: number): void;
}

/** The outbound line (telephony/outbound-line.ts) as a consultation with 12345 needs it. */
export interface Consult12345Line {
  /** Resolves true once Kamailio holds the one-time token letting this seat's phone call `uri`. */
  allow(a: { token: string; seatId: string; uri: string; callerId: string; ringS: number; ttlS: number }): Promise<boolean>;
}

/** 咨询12345: the seat's phone calls the 12345 number through Kamailio's outbound route first. */
export interface Consult12345Options {
  line: Consult12345Line;
  /** The 12345 number (SIP_12345_URI). */
  uri: string;
  /** The calling number 12345 sees (the hotline's). */
  callerId: string;
  ringS: number;
}

/** How long after its call left 'talking' a transfer waits for the seat's report before it expires. */
const UNREPORTED_GRACE_MS = 60_000;

/** How long the seat's phone has to place the consultation call once the token is open. */
const CONSULT_12345_TOKEN_TTL_S = 60;

export interface TransferServiceOptions {
  engine: Acd;
  repo: TransferRepository;
  clock: Clock;
  logger: Logger;
  gate?: ConsultGate | null;
  /** Told when a transfer changes (the socket layer tells both seats). */
  onChange?: (t: TransferRecord) => void;
  /** How long a blind transfer's token stays good between REFER and the new INVITE. */
  blindTtlMs?: number;
  /** 转12345: the work order goes through the hand-over outbox in the transfer's own commit. */
  db?: Db;
  handover?: HandoverService | null;
  /** 咨询12345 (consult a 12345 agent, then transfer); null: 转12345 is blind only. */
  consult12345?: Consult12345Options | null;
  /** How long a transfer waits for the seat's report once its call is over (default 60 s). */
  reportGraceMs?: number;
}

/** The hand-over (work order) id of a transfer to 12345. */
export const handoverIdOf = (t: Pick<TransferRecord, 'token'>) => `ho-${t.token}`;

/** Where a seat may send its call now: each category with its ready and logged-in seat counts, and the other logged-in seats. */
export interface TransferTargetList {
  categories: { id: string; name: string; readySeats: number; loggedInSeats: number }[];
  seats: Seat[];
}

const TOKEN_RE = /^[a-f0-9]{32}$/;

/**
 * Transfers (转接) through a pure proxy: the seat's phone REFERs the caller to
 * sip:12348@<trunk>?X-Transfer=<token>; the caller's side (the trunk) dials 12348 again with that
 * header; the router recognises the token and queues the new call for the target (a category's
 * queue, or a named seat), ahead of fresh callers, with the caller's flags and 12345 ticket.
 *
 * Consult-then-transfer holds the target seat (engine.reserveForConsult), lets the consulting
 * seat's phone call it, and completes with the same REFER naming that seat. A caller whose side
 * refuses the REFER stays with the seat: nothing here ends a call.
 *
 * 咨询12345 (consult12345) opens a one-time outbound token for the seat's phone to call the
 * 12345 number through Kamailio (the number never reaches the browser); the work order goes in
 * the transfer's commit, marked `transferMode: consult`, so the 12345 agent has it while talking;
 * the completion is the same REFER as 转12345 (the trunk re-dials 12345 with the work order header).
 */
export class TransferService {
  private readonly o: TransferServiceOptions;
  private readonly log: Logger;
  /** Calls over with a transfer not reported yet: the timer that settles it. */
  private readonly unreported = new Map<string, TimerHandle>();

  constructor(o: TransferServiceOptions) {
    this.o = o;
    this.log = o.logger.child({ part: 'transfers' });
  }

  /**
   * Where this seat may send a call now. A category counts the seats with that specialty whom
   * the routing rules would offer the transferred caller to (the home centre of the call being
   * transferred: e.g. not a county that takes no city calls).
   */
  targets(seatId: string): TransferTargetList {
    const { engine } = this.o;
    const seats = engine.listSeats().filter((s) => s.profile.id !== seatId && s.state.kind !== 'offline');
    const st = engine.getSeat(seatId).state;
    const current = 'callId' in st ? engine.getCall(st.callId) : undefined;
    const homeCentreId = current?.homeCentreId ?? engine.config.homeCentre.defaultCentreId;
    return {
      categories: engine.config.categories.map((c) => {
        const eligible = seats.filter(
          (s) => c.id in s.profile.skills && engine.seatCouldEverTake(s.profile.id, { categoryId: c.id, homeCentreId }),
        );
        return {
          id: c.id,
          name: c.name,
          readySeats: eligible.filter((s) => s.state.kind === 'ready' && engine.isReachable(s.profile.id)).length,
          loggedInSeats: eligible.length,
        };
      }),
      seats,
    };
  }

  /**
   * 咨询12345: checks the call, opens the outbound token (Kamailio holds it before the phone
   * dials), then records the transfer and its work order like start(). Nothing is written when
   * the line cannot be opened: the caller stays with the seat, who may transfer blind instead.
   */
  async consult12345(seatId: string, req: TransferRequest): Promise<TransferRecord> {
    const c = this.o.consult12345;
    if (!c) throw new DomainError('CONFLICT', '本系统未接通外呼线路,不能先咨询12345;可直接转12345。');
    this.talkingAt(seatId, req.callId);
    this.transferUnderWay(seatId, { ...req, target: { kind: '12345' }, mode: 'consult' });
    if (!this.o.handover || !this.o.db) throw new DomainError('CONFLICT', '本系统未配置12345对接,不能转12345。');
    const token = crypto.randomBytes(16).toString('hex');
    const opened = await c.line.allow({
      token,
      seatId,
      uri: c.uri,
      callerId: c.callerId,
      ringS: c.ringS,
      ttlS: CONSULT_12345_TOKEN_TTL_S,
    });
    if (!opened) {
      throw new DomainError('UNAVAILABLE', '外呼线路暂不可用,无法呼叫12345咨询;可直接转12345或稍后再试。');
    }
    return this.start(seatId, { ...req, target: { kind: '12345' }, mode: 'consult' }, token); // the call is checked again
  }

  /**
   * A call has one transfer at a time: while one is waiting for its outcome (and not expired),
   * a second is refused, so 12345 never gets two work orders for one hand-over. The very same
   * blind request again (the seat's retry after its answer was lost, e.g. to a router restart)
   * gets that transfer back: the same REFER target, the same work order.
   */
  private transferUnderWay(seatId: string, req: TransferRequest): TransferRecord | null {
    const open = this.o.repo.pendingOfCall(req.callId);
    if (!open || open.expiresAt <= this.o.clock.now()) return null;
    const same =
      req.mode === 'blind' &&
      open.mode === 'blind' &&
      open.fromSeatId === seatId &&
      JSON.stringify(open.target) === JSON.stringify(req.target);
    if (same) return open;
    throw new DomainError('CONFLICT', '这通来电已有一次转接正在进行,请等这次转接有结果(或取消)后再转接。', {
      transferId: open.id,
    });
  }

  private talkingAt(seatId: string, callId: string) {
    const call = this.o.engine.getCall(callId);
    if (!call || call.state.kind !== 'talking' || call.state.seatId !== seatId) {
      throw new DomainError('INVALID_TRANSITION', '只有本坐席正在通话的来电才能转接。', { callId, seatId });
    }
    return call;
  }

  /** `consultToken`: the outbound token consult12345 opened (a 12345 consultation only). */
  start(seatId: string, req: TransferRequest, consultToken?: string): TransferRecord {
    const { engine, clock } = this.o;
    const call = this.talkingAt(seatId, req.callId);
    const again = this.transferUnderWay(seatId, req);
    if (again) return again;
    let categoryId = call.categoryId;
    let targetSeatId: string | null = null;
    const target = req.target;
    if (target.kind === '12345') {
      if (!this.o.handover || !this.o.db) throw new DomainError('CONFLICT', '本系统未配置12345对接,不能转12345。');
      if (req.mode !== 'blind' && !consultToken) throw new DomainError('VALIDATION', '先咨询12345须经外呼线路发起。', { field: 'mode' });
    } else if (target.kind === 'category') {
      const cat = engine.config.categories.find((c) => c.id === target.categoryId);
      if (!cat) throw new DomainError('VALIDATION', '转接的专席类别不存在。', { field: 'target' });
      categoryId = cat.id;
      if (req.mode === 'consult') {
        const seat = this.readySeatFor(cat.id, seatId);
        if (!seat)
          throw new DomainError('CONFLICT', `「${cat.name}」当前没有就绪的坐席可以咨询,可改为直接转入该专席队列。`, { categoryId: cat.id });
        targetSeatId = seat.profile.id;
      } else if (!engine.listSeats().some((s) => s.state.kind !== 'offline' && cat.id in s.profile.skills)) {
        throw new DomainError('CONFLICT', `「${cat.name}」当前没有在线坐席,转过去来电人只能等待,请选择其他专席或转12345。`, {
          categoryId: cat.id,
        });
      }
    } else {
      const id = target.seatId;
      if (id === seatId) throw new DomainError('VALIDATION', '不能转接给自己。', { field: 'target' });
      const seat = engine.listSeats().find((s) => s.profile.id === id);
      if (!seat) throw new DomainError('NOT_FOUND', '要转接的坐席不存在。', { seatId: id });
      if (seat.state.kind === 'offline' || !engine.isReachable(id)) {
        throw new DomainError(
          'CONFLICT',
          `坐席 ${seat.profile.name} 当前${seat.state.kind === 'offline' ? '离线' : '话机未登记'},不能转接。`,
          { seatId: id },
        );
      }
      targetSeatId = id;
    }
    const now = clock.now();
    const ttl = req.mode === 'consult' ? CONSULT_HOLD_MS : (this.o.blindTtlMs ?? 120_000);
    if (req.mode === 'consult' && targetSeatId) {
      engine.reserveForConsult(targetSeatId); // refuses a seat that is not ready
      this.o.gate?.allowConsult(seatId, targetSeatId, ttl);
    }
    // A 12345 consultation's token is the one Kamailio holds for the seat's call to 12345.
    const token = consultToken ?? crypto.randomBytes(16).toString('hex');
    const t: TransferRecord = {
      id: `xf-${crypto.randomBytes(6).toString('hex')}`,
      token,
      callId: call.id,
      fromSeatId: seatId,
      mode: req.mode,
      target: req.target,
      targetSeatId,
      state: 'pending',
      detail: req.note,
      carry: { caller: call.caller, categoryId, flags: call.flags, ticket12345: call.ticket12345 },
      newCallId: null,
      createdAt: now,
      expiresAt: now + ttl,
      updatedAt: now,
    };
    const handover = this.o.handover;
    if (target.kind === '12345' && handover && this.o.db) {
      // One commit: the transfer and its work order (the outbox row); sent only once committed.
      const h = immediateTransaction(this.o.db, () => {
        this.o.repo.insert(t);
        return handover.openForTransfer({
          transferId: t.id,
          handoverId: handoverIdOf(t),
          callId: call.id,
          caller: call.caller,
          categoryId: call.categoryId,
          ticket12345: call.ticket12345,
          seatId,
          mode: req.mode,
          reason: req.note || (req.mode === 'consult' ? '非法律事项,经与12345坐席沟通后转12345办理' : '非法律事项,转12345办理'),
        });
      });
      handover.afterCommit(h);
    } else {
      this.o.repo.insert(t);
    }
    this.log.info({ transferId: t.id, callId: call.id, seatId, target: req.target, mode: req.mode }, 'transfer started');
    this.o.onChange?.(t);
    return t;
  }

  /** The seat's phone says how its REFER (or consultation) ended. */
  report(seatId: string, transferId: string, outcome: TransferOutcome, detail: string): TransferRecord {
    const t = this.o.repo.byId(transferId);
    if (!t || t.fromSeatId !== seatId) throw new DomainError('NOT_FOUND', '没有这次转接。', { transferId });
    if (t.state !== 'pending') return t; // already settled (the new call may have arrived first)
    const said =
      detail ||
      (t.target.kind === '12345' && t.mode === 'consult' && outcome === 'cancelled' ? '坐席咨询12345后取消转接,来电人仍由12348接待' : '');
    return this.settle(t, outcome, said);
  }

  /**
   * Told of every call change: a call that left 'talking' with a transfer still waiting for the
   * seat's report (the console closed or lost mid-transfer) has it settled after a grace
   * (`settleUnreported`). A live console reports within a second of the call's end.
   */
  callChanged(call: Pick<Call, 'id' | 'state'>): void {
    if (call.state.kind === 'talking' || call.state.kind === 'queued' || call.state.kind === 'ringing') return;
    if (this.unreported.has(call.id) || !this.o.repo.pendingOfCall(call.id)) return;
    this.unreported.set(
      call.id,
      this.o.clock.setTimeout(() => {
        this.unreported.delete(call.id);
        try {
          this.settleUnreported(call.id);
        } catch (err) {
          this.log.error({ err, callId: call.id }, 'could not settle an unreported transfer');
        }
      }, this.o.reportGraceMs ?? UNREPORTED_GRACE_MS),
    );
  }

  /** No more settling (the app is closing). */
  stop(): void {
    for (const timer of this.unreported.values()) this.o.clock.clearTimeout(timer);
    this.unreported.clear();
  }

  /** At start: transfers left pending by calls that are no longer talking (ended before or during a restart). */
  resumeUnreported(): void {
    for (const t of this.o.repo.pending()) {
      const call = this.o.engine.getCall(t.callId);
      this.callChanged(call ?? { id: t.callId, state: { kind: 'ended', since: 0, seatId: t.fromSeatId } });
    }
  }

  /**
   * The call is over and the seat's console never said how its transfer ended: the transfer
   * expires, and a 12345 work order gets its transfer result (not known to have connected, and
   * why), so neither side waits for it forever.
   */
  settleUnreported(callId: string): TransferRecord | null {
    const t = this.o.repo.pendingOfCall(callId);
    if (!t) return null;
    const call = this.o.engine.getCall(callId);
    if (call?.state.kind === 'talking') return null; // talking again (never: a call does not come back)
    this.log.warn({ transferId: t.id, callId }, 'the call ended without the seat reporting its transfer: expired');
    return this.settle(t, 'expired', '坐席端未报告转接结果(页面关闭或断线),通话已结束,是否接通以12345收到的来电为准');
  }

  private settle(t: TransferRecord, outcome: TransferRecord['state'], said: string): TransferRecord {
    const now = this.o.clock.now();
    t.state = outcome;
    t.detail = said || t.detail;
    t.updatedAt = now;
    const handover = this.o.handover;
    if (t.target.kind === '12345' && handover && this.o.db) {
      // The outcome and the work order's transfer result (connected or not) in one commit.
      const h = immediateTransaction(this.o.db, () => {
        this.o.repo.update(t);
        return handover.transferSettled(t.id, outcome === 'completed', said);
      });
      handover.afterCommit(h);
    } else {
      this.o.repo.update(t);
    }
    if (outcome !== 'completed' && t.mode === 'consult' && t.targetSeatId) this.o.engine.releaseConsult(t.targetSeatId);
    this.log.info({ transferId: t.id, outcome, detail: said }, 'transfer settled');
    this.o.onChange?.(t);
    return t;
  }

  /**
   * A call arrived with an X-Transfer token: what the engine should know of it. An unknown,
   * expired or reused token gives null: the call is then queued like any other (never lost).
   */
  resolve(
    token: string,
    newCallId: string,
  ): Pick<IncomingCall, 'caller' | 'categoryId' | 'flags' | 'ticket12345' | 'priority' | 'transfer'> | null {
    if (!TOKEN_RE.test(token)) return null;
    const t = this.o.repo.byToken(token);
    const now = this.o.clock.now();
    if (!t) {
      this.log.warn({ newCallId }, 'a call came with an unknown transfer token: queued as a new call');
      return null;
    }
    if (t.target.kind === '12345') return null; // its token names a work order, never a way back in
    if (t.newCallId === newCallId) return this.carried(t); // the same INVITE again (a resync after a restart)
    if (t.newCallId !== null || t.state === 'refused' || t.state === 'cancelled' || t.expiresAt < now) {
      this.log.warn(
        { transferId: t.id, state: t.state, newCallId },
        'a call came with a used or expired transfer token: queued as a new call',
      );
      return null;
    }
    t.state = 'completed';
    t.newCallId = newCallId;
    t.updatedAt = now;
    this.o.repo.update(t);
    this.o.onChange?.(t);
    return this.carried(t);
  }

  private carried(t: TransferRecord): Pick<IncomingCall, 'caller' | 'categoryId' | 'flags' | 'ticket12345' | 'priority' | 'transfer'> {
    return {
      caller: t.carry.caller,
      categoryId: t.carry.categoryId,
      flags: t.carry.flags,
      ticket12345: t.carry.ticket12345,
      priority: TRANSFER_PRIORITY,
      transfer: { fromCallId: t.callId, fromSeatId: t.fromSeatId, targetSeatId: t.targetSeatId },
    };
  }

  /** The longest-idle ready, registered seat with this skill (not the asking seat). */
  private readySeatFor(categoryId: string, exceptSeatId: string): Seat | null {
    let best: Seat | null = null;
    for (const s of this.o.engine.listSeats()) {
      if (
        s.profile.id === exceptSeatId ||
        s.state.kind !== 'ready' ||
        !this.o.engine.isReachable(s.profile.id) ||
        !(categoryId in s.profile.skills)
      )
        continue;
      if (!best || s.state.since < best.state.since) best = s;
    }
    return best;
  }
}
