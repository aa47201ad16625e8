import type { Role } from '../../contract/index.js';
import type { AccountService } from '../auth/accounts-service.js';

/** Who is asking, as the scope rules need it. */
export interface ScopedUser {
  id: number;
  role: Role;
}

/** A call as the scope rules see it: its home centre and the seats it reached. */
export interface ScopedCall {
  homeCentreId: string;
  seatIds: readonly (string | null)[];
}

/**
 * The one scope helper: which centres a supervisor or manager sees (their account's centres in
 * scope; none set = every centre, as for the city's staff), and whether a centre, a seat or a
 * call is among them. Administrators see every centre. Seats are not scoped by centre: the
 * calls feature decides per call what a seat sees.
 */
export class ScopeService {
  constructor(
    private readonly users: Pick<AccountService, 'byId'>,
    /** The centre of a seat (null when unknown). */
    readonly seatCentre: (seatId: string) => string | null,
  ) {}

  /** The centres the user sees; null = every centre. */
  centresOf(user: ScopedUser): ReadonlySet<string> | null {
    if (user.role === 'admin') return null;
    const centres = this.users.byId(user.id)?.centres;
    return centres ? new Set(centres) : null;
  }

  seesCentre(user: ScopedUser, centreId: string): boolean {
    const scope = this.centresOf(user);
    return scope === null || scope.has(centreId);
  }

  seesSeat(user: ScopedUser, seatId: string): boolean {
    const scope = this.centresOf(user);
    if (scope === null) return true;
    const centre = this.seatCentre(seatId);
    return centre !== null && scope.has(centre);
  }

  /** A call is in scope when its home centre is, or a seat of a centre in scope took it. */
  seesCall(user: ScopedUser, call: ScopedCall): boolean {
    const scope = this.centresOf(user);
    if (scope === null || scope.has(call.homeCentreId)) return true;
    return call.seatIds.some((s) => s !== null && scope.has(this.seatCentre(s) ?? ''));
  }

  /** A filter over many records with one look-up of the user's scope. */
  callFilter(user: ScopedUser): (call: ScopedCall) => boolean {
    const scope = this.centresOf(user);
    if (scope === null) return () => true;
    return (call) => scope.has(call.homeCentreId) || call.seatIds.some((s) => s !== null && scope.has(this.seatCentre(s) ?? ''));
  }

  /** The scope as a list (for queries and socket rooms); null = every centre. */
  centreList(user: ScopedUser): string[] | null {
    const scope = this.centresOf(user);
    return scope === null ? null : [...scope].sort();
  }
}
