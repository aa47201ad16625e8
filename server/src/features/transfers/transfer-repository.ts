import type { TransferTarget, TransferView } from '../../contract/index.js';
import type { CallerFlag } from '../../domain/model.js';
import type { Db } from '../../store/db.js';

/** What a transferred caller brings into the new call (the old call may be over by then). */
export interface TransferCarry {
  caller: string;
  categoryId: string;
  flags: CallerFlag[];
  ticket12345: string | null;
}

export interface TransferRecord {
  id: string;
  /** Unguessable; travels in the REFER target and comes back in the new INVITE (X-Transfer). */
  token: string;
  callId: string;
  fromSeatId: string;
  mode: 'blind' | 'consult';
  target: TransferTarget;
  /** The seat that will take the call: the named seat, or the one picked for a consultation. */
  targetSeatId: string | null;
  state: TransferView['state'];
  detail: string;
  carry: TransferCarry;
  newCallId: string | null;
  createdAt: number;
  expiresAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  token: string;
  call_id: string;
  from_seat_id: string;
  mode: 'blind' | 'consult';
  target_json: string;
  target_seat_id: string | null;
  state: TransferView['state'];
  detail: string;
  carry_json: string;
  new_call_id: string | null;
  created_at: number;
  expires_at: number;
  updated_at: number;
}

const fromRow = (r: Row): TransferRecord => ({
  id: r.id,
  token: r.token,
  callId: r.call_id,
  fromSeatId: r.from_seat_id,
  mode: r.mode,
  target: JSON.parse(r.target_json) as TransferTarget,
  targetSeatId: r.target_seat_id,
  state: r.state,
  detail: r.detail,
  carry: JSON.parse(r.carry_json) as TransferCarry,
  newCallId: r.new_call_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  updatedAt: r.updated_at,
});

/** Transfers (转接) started by seats: durable, so a router restart between REFER and INVITE loses nothing. */
export class TransferRepository {
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly byIdStmt;
  private readonly byTokenStmt;
  private readonly pendingOfCallStmt;
  private readonly pendingStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO transfers (id, token, call_id, from_seat_id, mode, target_json, target_seat_id, state, detail, carry_json, new_call_id, created_at, expires_at, updated_at)
       VALUES (@id, @token, @callId, @fromSeatId, @mode, @targetJson, @targetSeatId, @state, @detail, @carryJson, @newCallId, @createdAt, @expiresAt, @updatedAt)`,
    );
    this.updateStmt = db.prepare(
      'UPDATE transfers SET state = @state, detail = @detail, new_call_id = @newCallId, updated_at = @updatedAt WHERE id = @id',
    );
    this.byIdStmt = db.prepare('SELECT * FROM transfers WHERE id = ?');
    this.byTokenStmt = db.prepare('SELECT * FROM transfers WHERE token = ?');
    this.pendingStmt = db.prepare("SELECT * FROM transfers WHERE state = 'pending' ORDER BY created_at, id");
    this.pendingOfCallStmt = db.prepare(
      "SELECT * FROM transfers WHERE call_id = ? AND state = 'pending' ORDER BY created_at DESC, id LIMIT 1",
    );
  }

  insert(t: TransferRecord): void {
    this.insertStmt.run({ ...t, targetJson: JSON.stringify(t.target), carryJson: JSON.stringify(t.carry) });
  }

  update(t: Pick<TransferRecord, 'id' | 'state' | 'detail' | 'newCallId' | 'updatedAt'>): void {
    this.updateStmt.run(t);
  }

  byId(id: string): TransferRecord | null {
    const r = this.byIdStmt.get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  byToken(token: string): TransferRecord | null {
    const r = this.byTokenStmt.get(token) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** Every transfer still waiting for its outcome. */
  pending(): TransferRecord[] {
    return (this.pendingStmt.all() as Row[]).map(fromRow);
  }

  /** The latest transfer of this call still waiting for its outcome, if any. */
  pendingOfCall(callId: string): TransferRecord | null {
    const r = this.pendingOfCallStmt.get(callId) as Row | undefined;
    return r ? fromRow(r) : null;
  }
}
