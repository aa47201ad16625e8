import type { HandoverState } from '../../contract/index.js';
import type { Db } from '../../store/db.js';

export interface HandoverRecord {
  id: string;
  direction: 'to-12345' | 'from-12345';
  callId: string | null;
  seatId: string | null;
  ticket: string | null;
  transferId: string | null;
  state: HandoverState;
  detail: string;
  /** The work order sent, or the ticket received. */
  payload: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  direction: HandoverRecord['direction'];
  call_id: string | null;
  seat_id: string | null;
  ticket: string | null;
  transfer_id: string | null;
  state: HandoverState;
  detail: string;
  payload_json: string;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): HandoverRecord => ({
  id: r.id,
  direction: r.direction,
  callId: r.call_id,
  seatId: r.seat_id,
  ticket: r.ticket,
  transferId: r.transfer_id,
  state: r.state,
  detail: r.detail,
  payload: JSON.parse(r.payload_json) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Hand-overs to and from 12345, the webhook deliveries already taken, and the category map. */
export class HandoverRepository {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO handovers (id, direction, call_id, seat_id, ticket, transfer_id, state, detail, payload_json, created_at, updated_at)
         VALUES (@id, @direction, @callId, @seatId, @ticket, @transferId, @state, @detail, @payloadJson, @createdAt, @updatedAt)`,
      ),
      update: db.prepare(
        'UPDATE handovers SET state = @state, detail = @detail, call_id = @callId, seat_id = @seatId, payload_json = @payloadJson, updated_at = @updatedAt WHERE id = @id',
      ),
      byId: db.prepare('SELECT * FROM handovers WHERE id = ?'),
      byTransfer: db.prepare('SELECT * FROM handovers WHERE transfer_id = ?'),
      inboundByTicket: db.prepare("SELECT * FROM handovers WHERE ticket = ? AND direction = 'from-12345'"),
      recent: db.prepare('SELECT * FROM handovers WHERE created_at >= ? AND created_at < ? ORDER BY created_at DESC, id LIMIT ?'),
      receipt: db.prepare('INSERT OR IGNORE INTO webhook_receipts (delivery_id, received_at) VALUES (?, ?)'),
      map: db.prepare('SELECT category, category_id FROM category_map_12345 ORDER BY category'),
      clearMap: db.prepare('DELETE FROM category_map_12345'),
      putMap: db.prepare('INSERT INTO category_map_12345 (category, category_id, updated_at) VALUES (?, ?, ?)'),
      mapOne: db.prepare('SELECT category_id FROM category_map_12345 WHERE category = ?'),
    };
  }

  insert(h: HandoverRecord): void {
    this.s.insert.run({ ...h, payloadJson: JSON.stringify(h.payload) });
  }

  update(h: HandoverRecord): void {
    this.s.update.run({ ...h, payloadJson: JSON.stringify(h.payload) });
  }

  byId(id: string): HandoverRecord | null {
    const r = this.s.byId.get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  byTransfer(transferId: string): HandoverRecord | null {
    const r = this.s.byTransfer.get(transferId) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  inboundByTicket(ticket: string): HandoverRecord | null {
    const r = this.s.inboundByTicket.get(ticket) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** Created in [from, to), newest first; at most `limit` of them (the newest). */
  between(from: number, to: number, limit = 5000): HandoverRecord[] {
    return (this.s.recent.all(from, to, limit) as Row[]).map(fromRow);
  }

  /** Records a webhook delivery id; false when it was seen before (a replay). */
  takeReceipt(deliveryId: string, now: number): boolean {
    return this.s.receipt.run(deliveryId, now).changes === 1;
  }

  categoryMap(): { category: string; categoryId: string }[] {
    return (this.s.map.all() as { category: string; category_id: string }[]).map((r) => ({
      category: r.category,
      categoryId: r.category_id,
    }));
  }

  replaceCategoryMap(entries: { category: string; categoryId: string }[], now: number): void {
    this.s.clearMap.run();
    for (const e of entries) this.s.putMap.run(e.category, e.categoryId, now);
  }

  mapCategory(category: string): string | null {
    const r = this.s.mapOne.get(category) as { category_id: string } | undefined;
    return r?.category_id ?? null;
  }
}
