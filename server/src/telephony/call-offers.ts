import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { AcdForTelephony, IncomingCall } from '../domain/engine.js';
import { DomainError } from '../domain/errors.js';
import { CALLER_FLAGS, type CallerFlag } from '../domain/model.js';
import { storageFailureKind } from '../store/db.js';
import type { CallLegs, Leg } from './call-legs.js';
import type { EnqueueEvent, KamailioCommand } from './kamailio-protocol.js';

const DECLINE_CODES = new Set([486, 600, 603]);
const UNREACHABLE_CODES = new Set([404, 410, 480]);
/** Kamailio's own code when it could not ring the seat at all (RING_FAILED_NOW: no registration, relay failed). */
const NOT_RUNG = 404;

/** Turns a transfer token (X-Transfer) into what the engine should know of the new call. */
export type TransferResolver = (token: string, newCallId: string) => Partial<IncomingCall> | null;

export interface CallOffersDeps {
  engine: AcdForTelephony;
  legs: CallLegs;
  send: (cmd: KamailioCommand) => boolean;
  clock: Clock;
  logger: Logger;
  resolveTransfer: TransferResolver | null;
  resolveTicket: ((ticket: string) => Partial<IncomingCall> | null) | null;
  /** Where overflow to 12345 goes (a full disk relays new calls there). */
  uri12345: string;
  offerBudget: number;
}

/**
 * The two Kamailio events that start an offer's decision: a new call held in queue (`enqueue`,
 * also replayed by the resync for calls the router never heard of) and a ring that failed.
 */
export class CallOffers {
  constructor(private readonly d: CallOffersDeps) {}

  enqueue(ev: EnqueueEvent, json: string): void {
    const { engine: eng, legs } = this.d;
    const existing = legs.get(ev.callid);
    const leg: Leg = existing ?? { callId: ev.callid, tindex: ev.tindex, tlabel: ev.tlabel, kam: 'waiting', seat: null, pending: null };
    leg.tindex = ev.tindex;
    leg.tlabel = ev.tlabel;
    leg.kam = 'waiting';
    legs.set(leg);
    const arrivedAt = ev.at !== undefined ? Math.round(ev.at < 1e11 ? ev.at * 1000 : ev.at) : this.d.clock.now();
    const row = { callId: ev.callid, tindex: ev.tindex, tlabel: ev.tlabel, arrivedAt, enqueueJson: json };
    if (eng.getCall(ev.callid)) {
      legs.rows.saveWith(row, () => {}); // already known (a resync after a restart)
      return;
    }
    try {
      // A transferred caller keeps its number, flags and ticket, and names its target.
      const transferred = ev.xfer && this.d.resolveTransfer ? this.d.resolveTransfer(ev.xfer, ev.callid) : null;
      const ticketed = !transferred && ev.ticket && this.d.resolveTicket ? this.d.resolveTicket(ev.ticket) : null;
      const input: IncomingCall = {
        id: ev.callid,
        caller: ev.caller,
        dialed: ev.dialed,
        trunk: ev.src,
        ivrCode: ev.ivr || null,
        flags: parseFlags(ev.flags),
        ticket12345: ev.ticket || null,
        language: ev.lang || null,
        offerBudget: this.d.offerBudget,
        ...ticketed,
        ...transferred,
      };
      // The leg and the call are stored in one commit, before any decision goes out:
      // a restarted router has both (it can continue this transaction) or neither.
      legs.rows.saveWith(row, () => eng.offerCall(input));
    } catch (err) {
      if ((err instanceof DomainError && err.code === 'STORAGE_FULL') || storageFailureKind(err)) {
        // The database's disk is full (degraded mode): no record can be kept, so the caller is
        // not queued but relayed to 12345 at once, as an overflow would be.
        this.d.logger.warn({ callId: ev.callid }, 'storage full: new call relayed to 12345 without a record');
        legs.decide(leg, {
          cmd: 'overflow',
          tindex: leg.tindex,
          tlabel: leg.tlabel,
          callid: ev.callid,
          uri: this.d.uri12345,
          reason: 'storage-full',
        });
        return;
      }
      // The call cannot enter the queue (storage stopped, or a Call-ID already used): refuse it clearly.
      const code = err instanceof DomainError && err.code === 'CONFLICT' ? 482 : 503;
      this.d.logger.error({ err, callId: ev.callid }, 'call could not be queued; refusing it');
      legs.decide(leg, { cmd: 'reject', tindex: leg.tindex, tlabel: leg.tlabel, callid: ev.callid, code, reason: 'Service Unavailable' });
      throw err;
    }
  }

  ringFailed(callId: string, tindex: number, tlabel: number, seat: string, code: number): void {
    const { engine: eng, legs } = this.d;
    let leg = legs.get(callId);
    if (!leg) {
      leg = { callId, tindex, tlabel, kam: 'waiting', seat: null, pending: null };
      legs.set(leg);
    }
    leg.kam = 'waiting';
    leg.seat = null;
    const call = eng.getCall(callId);
    if (!call) {
      // The router no longer has the call: release Kamailio's transaction.
      legs.decide(leg, { cmd: 'reject', tindex, tlabel, callid: callId, code: 480, reason: 'Temporarily Unavailable' });
      return;
    }
    if (call.state.kind === 'ringing' && call.state.seatId === seat) {
      if (DECLINE_CODES.has(code)) {
        eng.declined(callId, seat);
      } else if (code === NOT_RUNG && this.hasSeat(seat)) {
        // Kamailio could not ring the seat at all (it knows no registration, e.g. just restarted):
        // no offers until the phone registers again, and not the lawyer's missed offer.
        eng.setRegistered(seat, false);
        this.d.send({ cmd: 'reg-query', seat });
        eng.ringLost(callId, seat);
      } else {
        if (UNREACHABLE_CODES.has(code) && this.hasSeat(seat)) {
          this.d.send({ cmd: 'reg-query', seat });
        }
        eng.ringTimeout(callId, seat);
      }
    }
    // The engine's next decision went out above, or was made earlier and waits in the leg.
    legs.flushPending(leg);
  }

  hasSeat(id: string): boolean {
    return this.d.engine.listSeats().some((s) => s.profile.id === id);
  }
}

function parseFlags(raw: string): CallerFlag[] {
  if (!raw || raw === '<null>') return [];
  return raw
    .split(/[\s,;]+/)
    .map((f) => f.trim().toLowerCase())
    .filter((f): f is CallerFlag => (CALLER_FLAGS as readonly string[]).includes(f));
}
