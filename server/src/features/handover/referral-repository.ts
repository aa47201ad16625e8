import type { ReferralKind, ReferralOffices } from '../../contract/index.js';
import type { Db } from '../../store/db.js';

export type ReferralOffice = ReferralOffices['offices'][number] & { id: string };

export interface ReferralRecord {
  id: string;
  callId: string;
  seatId: string;
  centreId: string;
  kind: ReferralKind;
  officeId: string | null;
  officeName: string;
  channel: 'http' | 'form';
  state: 'open' | 'closed';
  outcome: string;
  dueAt: number | null;
  payload: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

interface OfficeRow {
  id: string;
  centre_id: string;
  kind: ReferralKind;
  name: string;
  endpoint_url: string | null;
  email: string | null;
  due_days: number | null;
}

interface Row {
  id: string;
  call_id: string;
  seat_id: string;
  centre_id: string;
  kind: ReferralKind;
  office_id: string | null;
  office_name: string;
  channel: 'http' | 'form';
  state: 'open' | 'closed';
  outcome: string;
  due_at: number | null;
  payload_json: string;
  created_at: number;
  updated_at: number;
}

const office = (r: OfficeRow): ReferralOffice => ({
  id: r.id,
  centreId: r.centre_id,
  kind: r.kind,
  name: r.name,
  endpointUrl: r.endpoint_url,
  email: r.email,
  dueDays: r.due_days,
});

const fromRow = (r: Row): ReferralRecord => ({
  id: r.id,
  callId: r.call_id,
  seatId: r.seat_id,
  centreId: r.centre_id,
  kind: r.kind,
  officeId: r.office_id,
  officeName: r.office_name,
  channel: r.channel,
  state: r.state,
  outcome: r.outcome,
  dueAt: r.due_at,
  payload: JSON.parse(r.payload_json) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Referral offices per centre and kind, and the referrals made to them. */
export class ReferralRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      offices: db.prepare('SELECT * FROM referral_offices ORDER BY centre_id, kind'),
      officeFor: db.prepare('SELECT * FROM referral_offices WHERE centre_id = ? AND kind = ?'),
      officeById: db.prepare('SELECT * FROM referral_offices WHERE id = ?'),
      clearOffices: db.prepare('DELETE FROM referral_offices'),
      putOffice: db.prepare(
        `INSERT INTO referral_offices (id, centre_id, kind, name, endpoint_url, email, due_days, updated_at)
         VALUES (@id, @centreId, @kind, @name, @endpointUrl, @email, @dueDays, @now)`,
      ),
      insert: db.prepare(
        `INSERT INTO referrals (id, call_id, seat_id, centre_id, kind, office_id, office_name, channel, state, outcome, due_at, payload_json, created_at, updated_at)
         VALUES (@id, @callId, @seatId, @centreId, @kind, @officeId, @officeName, @channel, @state, @outcome, @dueAt, @payloadJson, @createdAt, @updatedAt)`,
      ),
      update: db.prepare(
        'UPDATE referrals SET state = @state, outcome = @outcome, due_at = @dueAt, updated_at = @updatedAt WHERE id = @id',
      ),
      byId: db.prepare('SELECT * FROM referrals WHERE id = ?'),
      byCall: db.prepare('SELECT * FROM referrals WHERE call_id = ?'),
      since: db.prepare('SELECT * FROM referrals WHERE created_at >= ? AND created_at < ? ORDER BY created_at DESC LIMIT ?'),
      overdue: db.prepare("SELECT * FROM referrals WHERE state = 'open' AND due_at IS NOT NULL AND due_at < ? ORDER BY due_at LIMIT 500"),
    };
  }

  offices(): ReferralOffice[] {
    return (this.s.offices.all() as OfficeRow[]).map(office);
  }

  officeFor(centreId: string, kind: ReferralKind): ReferralOffice | null {
    const r = this.s.officeFor.get(centreId, kind) as OfficeRow | undefined;
    return r ? office(r) : null;
  }

  officeById(id: string): ReferralOffice | null {
    const r = this.s.officeById.get(id) as OfficeRow | undefined;
    return r ? office(r) : null;
  }

  replaceOffices(offices: ReferralOffices['offices'], now: number): void {
    this.s.clearOffices.run();
    for (const o of offices) this.s.putOffice.run({ ...o, id: `${o.centreId}:${o.kind}`, now });
  }

  insert(r: ReferralRecord): void {
    this.s.insert.run({ ...r, payloadJson: JSON.stringify(r.payload) });
  }

  update(r: ReferralRecord): void {
    this.s.update.run(r);
  }

  byId(id: string): ReferralRecord | null {
    const r = this.s.byId.get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  byCall(callId: string): ReferralRecord | null {
    const r = this.s.byCall.get(callId) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** Created in [from, to), newest first; at most `limit` of them (the newest). */
  between(from: number, to: number, limit = 5000): ReferralRecord[] {
    return (this.s.since.all(from, to, limit) as Row[]).map(fromRow);
  }

  overdue(now: number): ReferralRecord[] {
    return (this.s.overdue.all(now) as Row[]).map(fromRow);
  }
}
