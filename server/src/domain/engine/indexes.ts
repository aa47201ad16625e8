import type { Call } from '../call.js';
import type { RoutingConfig } from '../policy.js';
import type { Seat } from '../seat.js';
import { DEFAULT_LANGUAGE } from '../../vocabulary/languages.js';

/**
 * A map kept in ascending `order` (idle-since for seats, enqueue time for calls).
 * Entries almost always arrive in order, so adding is an O(1) append; the rare
 * out-of-order entry (a restored seat or call) rebuilds the map.
 */
export class OrderedMap<V> {
  readonly items = new Map<string, V>();
  private maxOrder = -Infinity;

  constructor(private readonly order: (v: V) => number) {}

  get size(): number {
    return this.items.size;
  }

  add(id: string, value: V): void {
    const o = this.order(value);
    this.items.delete(id);
    if (o >= this.maxOrder) {
      this.maxOrder = o;
      this.items.set(id, value);
      return;
    }
    const entries = [...this.items.entries(), [id, value] as [string, V]].sort((a, b) => this.order(a[1]) - this.order(b[1]));
    this.items.clear();
    for (const [k, v] of entries) this.items.set(k, v);
  }

  delete(id: string): void {
    this.items.delete(id);
  }

  values(): IterableIterator<V> {
    return this.items.values();
  }

  /** The entry of the lowest order, if any. */
  first(): V | undefined {
    for (const v of this.items.values()) return v;
    return undefined;
  }
}

/** OrderedMaps by bucket key; empty buckets are dropped. */
export class Buckets<V> {
  private readonly buckets = new Map<string, OrderedMap<V>>();

  constructor(private readonly order: (v: V) => number) {}

  add(key: string, id: string, value: V): void {
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = new OrderedMap(this.order)));
    b.add(id, value);
  }

  remove(key: string, id: string): void {
    const b = this.buckets.get(key);
    if (!b) return;
    b.delete(id);
    if (b.size === 0) this.buckets.delete(key);
  }

  get(key: string): OrderedMap<V> | undefined {
    return this.buckets.get(key);
  }

  keys(): IterableIterator<string> {
    return this.buckets.keys();
  }

  clear(): void {
    this.buckets.clear();
  }
}

/**
 * The key suffix of a caller language other than the default (`|@en`), or ''. Seats are indexed
 * under their plain keys and again under each other language they speak; a call in a language
 * queues under its suffixed key and looks for seats under it.
 */
export function langSuffix(language: string | null | undefined): string {
  return language ? `|@${language}` : '';
}

/** One queue: a FIFO per priority level, levels kept high → low. */
export type PriorityFifos = Map<number, OrderedMap<Call>>;

const readySince = (s: Seat) => (s.state.kind === 'ready' ? s.state.since : 0);
const enqueued = (c: Call) => c.enqueuedAt;

export function insertFifo(index: Map<string, PriorityFifos>, key: string, call: Call): void {
  let byPriority = index.get(key);
  if (!byPriority) index.set(key, (byPriority = new Map<number, OrderedMap<Call>>()));
  let fifo = byPriority.get(call.priority);
  if (!fifo) {
    fifo = new OrderedMap<Call>(enqueued);
    const levels = [...byPriority.entries(), [call.priority, fifo] as [number, OrderedMap<Call>]].sort((a, b) => b[0] - a[0]);
    byPriority.clear();
    for (const [p, f] of levels) byPriority.set(p, f);
  }
  fifo.add(call.id, call);
}

export function removeFifo(index: Map<string, PriorityFifos>, key: string, call: Call): void {
  const byPriority = index.get(key);
  const fifo = byPriority?.get(call.priority);
  if (!byPriority || !fifo) return;
  fifo.delete(call.id);
  if (fifo.size === 0) byPriority.delete(call.priority);
  if (byPriority.size === 0) index.delete(key);
}

/**
 * The engine's state and its indexes: every seat and active call, who is ready and
 * logged in by skill, the queues, and lookups derived from the routing configuration.
 * Routing reads it (routing.ts); only the engine core changes it.
 */
export class EngineIndexes {
  readonly seats = new Map<string, Seat>();
  readonly calls = new Map<string, Call>();
  /** Ready seats by `category|centre|proficiency`, longest idle first. */
  readonly ready = new Buckets<Seat>(readySince);
  /** Logged-in seats by the same key (for "can anyone ever take this call?"). */
  readonly loggedIn = new Buckets<Seat>(() => 0);
  /** Waiting and ringing calls by `category|homeCentre[|@language]`, then priority (high first), in enqueue order. */
  readonly queues = new Map<string, PriorityFifos>();
  /** County calls shared to the city by overflow, by `category[|@language]`, then priority. */
  readonly shared = new Map<string, PriorityFifos>();
  /** Calls transferred to a named seat, waiting for that seat only (not in the queues above). */
  readonly targeted = new Map<string, Call>();
  cfg: RoutingConfig;
  cityCentreId = '';
  centreLevel = new Map<string, 'city' | 'county'>();
  generalCategoryIds = new Set<string>();
  categoryByIvr = new Map<string, string>();
  categoryIds = new Set<string>();
  /** County centres whose calls go to the city after `cityAfterS` (countySharing.sendsToCity). */
  countiesSendingToCity = new Set<string>();
  /** County centres whose specialists take city calls (countySharing.takesCityCalls), in configuration order. */
  countiesTakingCityCalls: string[] = [];

  constructor(
    cfg: RoutingConfig,
    private readonly requireRegistration: boolean,
  ) {
    this.cfg = cfg;
    this.indexConfig();
  }

  setConfig(cfg: RoutingConfig): void {
    this.cfg = cfg;
    this.indexConfig();
  }

  private indexConfig(): void {
    const city = this.cfg.centres.find((c) => c.level === 'city');
    this.cityCentreId = city?.id ?? this.cfg.homeCentre.defaultCentreId;
    this.centreLevel = new Map(this.cfg.centres.map((c) => [c.id, c.level]));
    this.generalCategoryIds = new Set(this.cfg.categories.filter((c) => c.general).map((c) => c.id));
    this.categoryIds = new Set(this.cfg.categories.map((c) => c.id));
    const counties = this.cfg.centres.filter((c) => c.level === 'county').map((c) => c.id);
    const sharing = (id: string) => this.cfg.countySharing[id] ?? { sendsToCity: true, takesCityCalls: true };
    this.countiesSendingToCity = new Set(counties.filter((id) => sharing(id).sendsToCity));
    this.countiesTakingCityCalls = counties.filter((id) => sharing(id).takesCityCalls);
    this.categoryByIvr = new Map(this.cfg.categories.flatMap((c) => c.ivrCodes.map((code) => [code, c.id] as [string, string])));
  }

  generalCategoryId(): string {
    return this.generalCategoryIds.values().next().value ?? this.cfg.categories[0]!.id;
  }

  seatUsable(seat: Seat): boolean {
    return !this.requireRegistration || seat.registered;
  }

  /** Queued and ringing calls in the order they will be served. */
  waitingCalls(): Call[] {
    return [...this.calls.values()]
      .filter((c) => c.state.kind === 'queued' || c.state.kind === 'ringing')
      .sort((a, b) => b.priority - a.priority || a.enqueuedAt - b.enqueuedAt);
  }

  private seatKeys(seat: Seat): string[] {
    const keys = Object.entries(seat.profile.skills)
      .filter(([cat]) => this.categoryIds.has(cat))
      .map(([cat, prof]) => `${cat}|${seat.profile.centreId}|${prof}`);
    const other = seat.profile.languages.filter((l) => l !== DEFAULT_LANGUAGE);
    return other.length === 0 ? keys : keys.concat(other.flatMap((l) => keys.map((k) => k + langSuffix(l))));
  }

  /**
   * `loggedIn` answers "could anyone ever take this call": a signed-in console counts
   * even while its softphone re-registers (a network blip must not send every waiting
   * caller to overflow). `ready` is who can be offered a call now: registration required.
   */
  indexSeat(seat: Seat): void {
    const keys = this.seatKeys(seat);
    if (seat.state.kind !== 'offline') for (const k of keys) this.loggedIn.add(k, seat.profile.id, seat);
    if (seat.state.kind === 'ready' && this.seatUsable(seat)) {
      for (const k of keys) this.ready.add(k, seat.profile.id, seat);
    }
  }

  unindexSeat(seat: Seat): void {
    for (const k of this.seatKeys(seat)) {
      this.ready.remove(k, seat.profile.id);
      this.loggedIn.remove(k, seat.profile.id);
    }
  }

  /** Empties the calls, the queues and the seat buckets (the seats stay): before state is read back from the store. */
  clearState(): void {
    this.calls.clear();
    this.queues.clear();
    this.shared.clear();
    this.targeted.clear();
    this.ready.clear();
    this.loggedIn.clear();
  }

  addToQueue(call: Call): void {
    if (call.target) {
      this.targeted.set(call.id, call);
      return;
    }
    const key = `${call.categoryId}|${call.homeCentreId}${langSuffix(call.language)}`;
    insertFifo(this.queues, key, call);
    if (call.sharedToCity) this.addToShared(call);
  }

  addToShared(call: Call): void {
    insertFifo(this.shared, call.categoryId + langSuffix(call.language), call);
  }

  removeFromQueue(call: Call): void {
    if (this.targeted.delete(call.id)) return;
    removeFifo(this.queues, `${call.categoryId}|${call.homeCentreId}${langSuffix(call.language)}`, call);
    if (call.sharedToCity) removeFifo(this.shared, call.categoryId + langSuffix(call.language), call);
  }
}
