import type { SetStatusRequest } from '../../contract/index.js';
import type { Acd } from '../../domain/engine.js';
import type { SeatProfile } from '../../domain/model.js';
import type { Seat } from '../../domain/seat.js';
import type { Db } from '../../store/db.js';
import type { AuditActor, AuditInput } from '../audit/audit-service.js';
import { ValidationError } from '../shared/validation.js';
import type { SeatRepository } from './seat-repository.js';

/** Seat profiles (admin) and a seat's own status and wrap-up (the seat console). */
export class SeatService {
  constructor(
    private readonly db: Db,
    private readonly engine: Acd,
    private readonly seats: SeatRepository,
    /** The audit log (joins the change's transaction). */
    private readonly audit?: (entry: AuditInput) => void,
  ) {}

  list(): Seat[] {
    return this.engine.listSeats();
  }

  get(seatId: string): Seat {
    return this.engine.getSeat(seatId);
  }

  /** Creates or replaces a seat profile: its centre and skills must be ones the configuration knows. */
  saveProfile(actor: AuditActor, profile: SeatProfile): Seat {
    const cfg = this.engine.config;
    const fields: Record<string, string[]> = {};
    if (!cfg.centres.some((c) => c.id === profile.centreId)) fields.centreId = [`未知的中心 ${profile.centreId}`];
    // Staff numbers are unique (the table says so): a clash is the administrator's to fix, not a 500.
    const holder = this.seats.staffNoHolder(profile.staffNo, profile.id);
    if (holder) fields.staffNo = [`工号 ${profile.staffNo} 已由坐席 ${holder.name}(${holder.id})使用`];
    for (const cat of Object.keys(profile.skills)) {
      if (!cfg.categories.some((c) => c.id === cat)) (fields[`skills.${cat}`] ??= []).push(`未知的专业领域 ${cat}`);
    }
    if (Object.keys(fields).length) throw new ValidationError(fields);
    this.db.transaction(() => {
      const before = this.engine.listSeats().find((s) => s.profile.id === profile.id)?.profile ?? null;
      this.seats.upsert(profile);
      this.audit?.({ actor, action: 'seat.profile', target: `seat:${profile.id}`, before, after: profile });
      this.engine.upsertSeat(profile);
    })();
    return this.engine.getSeat(profile.id);
  }

  setStatus(seatId: string, p: SetStatusRequest): Seat {
    switch (p.status) {
      case 'ready':
        return this.engine.setSeatReady(seatId);
      case 'not-ready':
        return this.engine.setSeatNotReady(seatId, p.reason);
      case 'offline':
        return this.engine.setSeatOffline(seatId, { bySeat: true });
    }
  }

  extendWrapUp(seatId: string): Seat {
    return this.engine.extendWrapUp(seatId);
  }

  endWrapUp(seatId: string): Seat {
    return this.engine.endWrapUp(seatId);
  }
}
