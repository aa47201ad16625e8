import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import type { BrakeCounter, LoginBrakeRepository } from './login-brake-repository.js';

/** How hard the brake holds; every figure can be changed for a test. */
export interface BrakeRules {
  /** Failures of one account from one address before it waits. */
  pairFreeFailures: number;
  /** The first wait; each further failure doubles it, up to `pairMaxDelayMs`. */
  pairBaseDelayMs: number;
  pairMaxDelayMs: number;
  /** A pair's failures are forgotten this long after its last one. */
  pairForgetMs: number;
  /** Failures from one address, any account, within `addressWindowMs` before the address waits `addressLockMs`. */
  addressMaxFailures: number;
  addressWindowMs: number;
  addressLockMs: number;
}

export const DEFAULT_BRAKE_RULES: BrakeRules = {
  pairFreeFailures: 5,
  pairBaseDelayMs: 60_000,
  pairMaxDelayMs: 60 * 60_000,
  pairForgetMs: 24 * 3600_000,
  addressMaxFailures: 50,
  addressWindowMs: 15 * 60_000,
  addressLockMs: 15 * 60_000,
};

/** An attempt counted before its password is checked; settled with `succeeded` or `failed`. */
export interface Reservation {
  readonly username: string;
  readonly address: string;
  /** The address lock this very attempt started (taken back if it succeeds). */
  readonly lockedAddress: boolean;
}

/** A refusal by the brake: which counter holds and until when. */
export class BrakeHeld extends DomainError {
  constructor(
    readonly scope: 'pair' | 'address',
    readonly until: number,
    now: number,
  ) {
    super('RATE_LIMITED', `登录失败次数过多,请 ${Math.max(1, Math.ceil((until - now) / 60_000))} 分钟后再试`);
  }
}

/** What administrators see of a counter (GET /api/admin/login-locks). */
export interface LoginLock {
  id: number;
  kind: 'account' | 'address';
  username: string | null;
  address: string;
  failures: number;
  lastFailureAt: number;
  lockedUntil: number | null;
}

const pairKey = (username: string, address: string) => `${username}|${address}`;
export const normalizeUsername = (username: string) => username.trim().toLowerCase();

/**
 * The sign-in brake. Each attempt is counted *before* the password hash is checked, in one
 * SQLite transaction, so parallel requests cannot slip past the limit; the count is per
 * account-and-address pair (growing waits after a few failures) plus a looser per-address count.
 * A success takes back only its own attempt and clears only its own pair: guesses from another
 * address never lock the real user out. Counters are durable (login_failures).
 */
export class LoginBrake {
  constructor(
    private readonly db: Db,
    private readonly repo: LoginBrakeRepository,
    private readonly clock: Clock,
    private readonly rules: BrakeRules = DEFAULT_BRAKE_RULES,
  ) {}

  /** Counts an attempt, or throws BrakeHeld (nothing counted) while a lock holds. */
  reserve(rawUsername: string, address: string): Reservation {
    const username = normalizeUsername(rawUsername);
    const now = this.clock.now();
    const r = this.rules;
    return immediateTransaction(this.db, () => {
      const pair = this.live(this.repo.get('pair', pairKey(username, address)), now, r.pairForgetMs);
      const addr = this.live(this.repo.get('address', address), now, r.addressWindowMs);
      if (pair && pair.lockedUntil > now) throw new BrakeHeld('pair', pair.lockedUntil, now);
      if (addr && addr.lockedUntil > now) throw new BrakeHeld('address', addr.lockedUntil, now);

      const pairFailures = (pair?.failures ?? 0) + 1;
      const pairDelay =
        pairFailures >= r.pairFreeFailures ? Math.min(r.pairMaxDelayMs, r.pairBaseDelayMs * 2 ** (pairFailures - r.pairFreeFailures)) : 0;
      this.repo.save({
        scope: 'pair',
        key: pairKey(username, address),
        username,
        address,
        failures: pairFailures,
        firstAt: pair?.firstAt ?? now,
        lastAt: now,
        lockedUntil: pairDelay > 0 ? now + pairDelay : 0,
      });
      const addrFailures = (addr?.failures ?? 0) + 1;
      const lockedAddress = addrFailures >= r.addressMaxFailures;
      this.repo.save({
        scope: 'address',
        key: address,
        username: null,
        address,
        failures: addrFailures,
        firstAt: addr?.firstAt ?? now,
        lastAt: now,
        lockedUntil: lockedAddress ? now + r.addressLockMs : 0,
      });
      return { username, address, lockedAddress };
    });
  }

  /** The password was right: the pair starts over and the address gets its attempt back. */
  succeeded(res: Reservation): void {
    immediateTransaction(this.db, () => {
      this.repo.delete('pair', pairKey(res.username, res.address));
      const addr = this.repo.get('address', res.address);
      if (!addr) return;
      if (addr.failures <= 1) return this.repo.delete('address', res.address);
      this.repo.save({ ...addr, failures: addr.failures - 1, lockedUntil: res.lockedAddress ? 0 : addr.lockedUntil });
    });
  }

  /** The password was wrong (already counted): the lock it started, if any. */
  failed(res: Reservation): { scope: 'pair' | 'address'; until: number } | null {
    const now = this.clock.now();
    const pair = this.repo.get('pair', pairKey(res.username, res.address));
    if (pair && pair.lockedUntil > now) return { scope: 'pair', until: pair.lockedUntil };
    if (res.lockedAddress) return { scope: 'address', until: now + this.rules.addressLockMs };
    return null;
  }

  /** Counters an administrator may want to see: running locks and recent failures (last day). */
  list(): LoginLock[] {
    const now = this.clock.now();
    return this.repo.listActive(now, now - this.rules.pairForgetMs).map((c) => ({
      id: c.id,
      kind: c.scope === 'pair' ? 'account' : 'address',
      username: c.username,
      address: c.address,
      failures: c.failures,
      lastFailureAt: c.lastAt,
      lockedUntil: c.lockedUntil > now ? c.lockedUntil : null,
    }));
  }

  /** An administrator clears one counter; returns what it was (null when there was none). */
  clear(id: number): LoginLock | null {
    const c = this.repo.byId(id);
    if (!c) return null;
    this.repo.deleteById(id);
    return {
      id: c.id,
      kind: c.scope === 'pair' ? 'account' : 'address',
      username: c.username,
      address: c.address,
      failures: c.failures,
      lastFailureAt: c.lastAt,
      lockedUntil: c.lockedUntil || null,
    };
  }

  /** An administrator unlocks an account from every address; returns how many counters went. */
  clearAccount(username: string): number {
    return this.repo.deleteAccount(normalizeUsername(username));
  }

  /** Forgets counters nobody has touched for a day (run with the session sweep). */
  purge(): void {
    const now = this.clock.now();
    this.repo.purge(now - this.rules.pairForgetMs, now);
  }

  /** A counter still in force: a pair forgets after `forgetMs`, an address counts a window. */
  private live(c: BrakeCounter | null, now: number, forgetMs: number): BrakeCounter | null {
    if (!c) return null;
    if (c.lockedUntil > now) return c;
    if (c.scope === 'pair' && now - c.lastAt >= forgetMs) return null;
    if (c.scope === 'address' && now - c.firstAt >= forgetMs) return null;
    return c;
  }
}
