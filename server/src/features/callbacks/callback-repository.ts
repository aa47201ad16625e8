import type { CallbackStatus } from '../../contract/index.js';
import type { OverflowReason, OverflowTrigger } from '../../vocabulary/index.js';
import type { Db } from '../../store/db.js';

/** A callback request (回电请求); `caller` is the full number: mask it before it leaves the server. */
export interface CallbackRecord {
  id: number;
  callId: string;
  caller: string;
  categoryId: string;
  homeCentreId: string;
  language: string | null;
  flags: string[];
  waitS: number;
  trigger: OverflowTrigger;
  reason: OverflowReason | null;
  createdAt: number;
  status: CallbackStatus;
  updatedAt: number;
}

export type NewCallback = Omit<CallbackRecord, 'id' | 'status' | 'updatedAt'>;

interface CallbackRow {
  id: number;
  call_id: string;
  caller: string;
  category_id: string;
  home_centre_id: string;
  language: string | null;
  flags_json: string;
  wait_s: number;
  trigger: string;
  reason: string | null;
  created_at: number;
  status: string;
  updated_at: number;
}

const toRecord = (r: CallbackRow): CallbackRecord => ({
  id: r.id,
  callId: r.call_id,
  caller: r.caller,
  categoryId: r.category_id,
  homeCentreId: r.home_centre_id,
  language: r.language,
  flags: JSON.parse(r.flags_json) as string[],
  waitS: r.wait_s,
  trigger: r.trigger as OverflowTrigger,
  reason: r.reason as OverflowReason | null,
  createdAt: r.created_at,
  status: r.status as CallbackStatus,
  updatedAt: r.updated_at,
});

/** Callback requests (callback_requests table): one per call. */
export class CallbackRepository {
  private readonly insertStmt;
  private readonly byCallStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(`
      INSERT INTO callback_requests (call_id, caller, category_id, home_centre_id, language, flags_json, wait_s, trigger, reason, created_at, updated_at)
      VALUES (@callId, @caller, @categoryId, @homeCentreId, @language, @flags, @waitS, @trigger, @reason, @createdAt, @createdAt)
      ON CONFLICT(call_id) DO NOTHING`);
    this.byCallStmt = db.prepare('SELECT * FROM callback_requests WHERE call_id = ?');
    this.listStmt = db.prepare(`
      SELECT * FROM callback_requests
      WHERE (@status IS NULL OR status = @status)
        AND (@centres IS NULL OR home_centre_id IN (SELECT value FROM json_each(@centres)))
      ORDER BY created_at DESC, id DESC LIMIT @limit`);
  }

  /** Stores the call's request (a call has at most one: a second insert keeps the first). */
  insert(r: NewCallback): CallbackRecord {
    this.insertStmt.run({ ...r, flags: JSON.stringify(r.flags) });
    return this.ofCall(r.callId)!;
  }

  ofCall(callId: string): CallbackRecord | null {
    const r = this.byCallStmt.get(callId) as CallbackRow | undefined;
    return r ? toRecord(r) : null;
  }

  /** Newest first; with a status, only those; with centres (null = every centre), only those home centres. */
  list(opts: { status?: CallbackStatus; limit: number; centres?: readonly string[] | null }): CallbackRecord[] {
    const centres = opts.centres ? JSON.stringify(opts.centres) : null;
    const rows = this.listStmt.all({ status: opts.status ?? null, centres, limit: opts.limit });
    return (rows as CallbackRow[]).map(toRecord);
  }
}
