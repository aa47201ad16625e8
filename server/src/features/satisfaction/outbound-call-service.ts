import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { dayBounds, localDay } from '../shared/local-day.js';
import type { SessionUser } from '../auth/auth-service.js';
import type { ScopeService } from '../users/scope-service.js';
import type { OutboundCallRow, VisitDialRepository } from './visit-dial-repository.js';

/**
 * Outbound calls as call records (话单, direction outbound): the staff's history of their centres'
 * calls, one call's detail, and a seat's own calls of a day. A call is in a staff user's scope when
 * its task's centre or its seat's centre is (as an inbound call by its home centre or its seats).
 */
export class OutboundCallService {
  constructor(
    private readonly o: {
      repo: VisitDialRepository;
      scope: Pick<ScopeService, 'centreList' | 'seatCentre'>;
      clock: Clock;
      utcOffsetMinutes: () => number;
    },
  ) {}

  today(): string {
    return localDay(this.o.clock.now(), this.o.utcOffsetMinutes());
  }

  private bounds(from: string, to: string): { from: number; to: number } {
    const a = dayBounds(from, this.o.utcOffsetMinutes());
    const b = dayBounds(to, this.o.utcOffsetMinutes());
    if (!a) throw new DomainError('VALIDATION', `日期不存在:${from}`);
    if (!b) throw new DomainError('VALIDATION', `日期不存在:${to}`);
    if ((b.to - a.from) / 86_400_000 > 400) throw new DomainError('VALIDATION', '查询范围最长 400 天');
    return { from: a.from, to: b.to };
  }

  private inScope(user: SessionUser): (r: OutboundCallRow) => boolean {
    const centres = this.o.scope.centreList(user);
    if (centres === null) return () => true;
    const set = new Set(centres);
    return (r) => set.has(r.centreId) || set.has(this.o.scope.seatCentre(r.seatId) ?? '');
  }

  /** Staff: the outbound calls started on the local days [from, to] in their scope, newest first, at most `limit`. */
  list(user: SessionUser, from: string, to: string, limit = 200): OutboundCallRow[] {
    const b = this.bounds(from, to);
    return this.o.repo.records(b.from, b.to, null, null).filter(this.inScope(user)).reverse().slice(0, limit);
  }

  /** Staff: one outbound call in their scope (404 otherwise). */
  get(user: SessionUser, id: number): OutboundCallRow {
    const r = Number.isSafeInteger(id) ? this.o.repo.record(id) : null;
    if (!r || !this.inScope(user)(r)) throw new DomainError('NOT_FOUND', `没有找到编号为 ${id} 的外呼记录,或您无权查看`);
    return r;
  }

  /** A seat's own outbound calls of a local day (default today), oldest first. */
  mine(seatId: string, day: string | undefined): { day: string; records: OutboundCallRow[] } {
    const d = day ?? this.today();
    const b = this.bounds(d, d);
    return { day: d, records: this.o.repo.records(b.from, b.to, null, seatId) };
  }
}
