import type { Logger } from 'pino';
import type { AcdUnitOfWork } from '../domain/engine.js';
import type { SipLegRepo } from '../store/sip-legs.js';
import type { Decision, KamailioCommand } from './kamailio-protocol.js';
import { LegRows } from './leg-rows.js';

/** What the router knows of a call Kamailio holds. */
export interface Leg {
  callId: string;
  tindex: number;
  tlabel: number;
  /** Kamailio's side: waiting (suspended, a decision can be sent), ringing a seat, or bridged. */
  kam: 'waiting' | 'ringing' | 'talking';
  seat: string | null;
  /** A decision made while Kamailio could not take it (link down, or a ring still outstanding). */
  pending: Decision | null;
}

/**
 * The calls Kamailio holds as suspended transactions (the KamailioTelephony adapter's legs) and
 * the decisions sent about them: a decision goes out only when Kamailio can act on it (the
 * transaction is suspended and the link is up and synchronised); otherwise it waits in the leg
 * and goes out as soon as it can (flushPending).
 */
export class CallLegs {
  private readonly byCall = new Map<string, Leg>();
  /** Whether the link is up and the last resync is done (decisions may go out). */
  synced = false;
  /** The stored legs: each written in the same commit as the engine's decision. */
  readonly rows: LegRows;

  constructor(
    engine: AcdUnitOfWork,
    repo: SipLegRepo,
    logger: Logger,
    private readonly send: (cmd: KamailioCommand) => boolean,
  ) {
    this.rows = new LegRows(engine, repo, logger);
    for (const l of this.rows.list()) {
      this.byCall.set(l.callId, { callId: l.callId, tindex: l.tindex, tlabel: l.tlabel, kam: 'waiting', seat: null, pending: null });
    }
  }

  get size(): number {
    return this.byCall.size;
  }

  get(callId: string): Leg | undefined {
    return this.byCall.get(callId);
  }

  set(leg: Leg): void {
    this.byCall.set(leg.callId, leg);
  }

  /** A snapshot (the caller may forget legs while it goes through them). */
  list(): Leg[] {
    return [...this.byCall.values()];
  }

  decide(leg: Leg, d: Decision): void {
    if (leg.kam === 'waiting' && this.synced && this.send(d)) {
      this.sent(leg, d);
      return;
    }
    leg.pending = d;
  }

  flushPending(leg: Leg): void {
    if (leg.pending && leg.kam === 'waiting' && this.synced) {
      const d = leg.pending;
      if (this.send(d)) this.sent(leg, d);
    }
  }

  forget(callId: string): void {
    this.forgetAnd(callId, () => {});
  }

  /**
   * Kamailio is done with a call's transaction: the leg's row is deleted in the same
   * commit as what the engine decides about it (one commit per event).
   */
  forgetAnd(callId: string, decide: () => void): void {
    this.rows.deleteWith(this.byCall.delete(callId) ? callId : null, decide);
  }

  private sent(leg: Leg, d: Decision): void {
    leg.pending = null;
    if (d.cmd === 'ring') {
      leg.kam = 'ringing';
      leg.seat = d.seat;
    } else {
      // Kamailio is done with the transaction. This runs after the engine's commit (a decision
      // goes out only once stored), so the row goes in the next commit; a row left by a kill
      // in between is dropped by the next resync (step 3 of reconcile).
      this.byCall.delete(leg.callId);
      this.rows.deleteLater(leg.callId);
    }
  }
}
