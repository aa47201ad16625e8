import type { Db } from './db.js';

/** A call Kamailio holds as a suspended INVITE transaction, as the router must remember it. */
export interface SipLeg {
  callId: string;
  tindex: number;
  tlabel: number;
  arrivedAt: number;
  /** The enqueue event as Kamailio sent it: enough to offer the call again. */
  enqueueJson: string;
}

/**
 * Transaction ids of the calls waiting in Kamailio. Written before the call is
 * offered to the engine and removed when Kamailio is done with the transaction,
 * so a restarted router can continue every call still waiting, in order.
 */
export class SipLegRepo {
  private readonly upsertStmt;
  private readonly deleteStmt;
  private readonly listStmt;
  /** The last `seq` written: legs stored in the same millisecond are listed in the order they were stored. */
  private seq: number;

  constructor(db: Db) {
    this.seq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM sip_legs').get() as { seq: number }).seq;
    this.upsertStmt = db.prepare(
      `INSERT INTO sip_legs (call_id, tindex, tlabel, arrived_at, seq, enqueue_json) VALUES (@callId, @tindex, @tlabel, @arrivedAt, @seq, @enqueueJson)
       ON CONFLICT(call_id) DO UPDATE SET tindex = excluded.tindex, tlabel = excluded.tlabel`,
    );
    this.deleteStmt = db.prepare('DELETE FROM sip_legs WHERE call_id = ?');
    this.listStmt = db.prepare(
      'SELECT call_id AS callId, tindex, tlabel, arrived_at AS arrivedAt, enqueue_json AS enqueueJson FROM sip_legs ORDER BY arrived_at, seq',
    );
  }

  save(leg: SipLeg): void {
    this.upsertStmt.run({ ...leg, seq: ++this.seq });
  }

  delete(callId: string): void {
    this.deleteStmt.run(callId);
  }

  /** Oldest first. */
  list(): SipLeg[] {
    return this.listStmt.all() as SipLeg[];
  }
}
