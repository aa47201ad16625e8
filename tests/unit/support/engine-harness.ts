import type { Call, CallEvent, CallState } from '../../../server/src/domain/call.js';
import { VirtualClock, type Clock } from '../../../server/src/domain/clock.js';
import { AcdEngine, type EngineStore, type TelephonyPort } from '../../../server/src/domain/engine.js';
import { MemoryEngineStore } from '../../support/memory-engine-store.js';
import type { CallerFlag, SeatProfile } from '../../../server/src/domain/model.js';
import {
  DEFAULT_ROUTING_CONFIG,
  RoutingConfigSchema,
  type CategoryPolicy,
  type OverflowTrigger,
  type RoutingConfig,
} from '../../../server/src/domain/policy.js';
import type { SeatState } from '../../../server/src/domain/seat.js';

/**
 * A small builder for engine tests: a VirtualClock, a MemoryEngineStore, a
 * telephony port that records what the engine asked of it, and helpers that
 * keep the arrange step of each test short.
 */

/** Monday 2026-11-23 10:00 in China (02:00 UTC): inside every default service period. */
export const T0 = Date.UTC(2026, 10, 23, 2, 0);
export const SEC = 1000;

/** Trunks that the harness config maps to the two county centres. */
export const TRUNK = { dongcheng: 'trunk-dc', xishan: 'trunk-xs' } as const;

export function seat(id: string, skills: Record<string, number>, centreId = 'city'): SeatProfile {
  return { id, name: `Lawyer ${id}`, staffNo: id, centreId, skills, languages: ['zh'] };
}

export type PolicyOverrides = Partial<Omit<CategoryPolicy, 'overflow'>> & {
  overflow?: Partial<CategoryPolicy['overflow']>;
};

export type ConfigOverrides = Partial<Omit<RoutingConfig, 'defaultPolicy'>> & { policy?: PolicyOverrides };

/**
 * The default routing config (20 s lower proficiency, 40 s general, 60 s city,
 * 300 s max wait, 20 s ring, 60 s wrap-up, missed steps 30 s / 300 s / stay) with
 * the two county trunks mapped, plus overrides. Validated by the real schema so a
 * test can never run on a config the product would refuse.
 */
export function makeConfig(o: ConfigOverrides = {}): RoutingConfig {
  const { policy, ...rest } = o;
  const base = DEFAULT_ROUTING_CONFIG;
  return RoutingConfigSchema.parse({
    ...base,
    homeCentre: {
      byTrunk: { [TRUNK.dongcheng]: 'dongcheng', [TRUNK.xishan]: 'xishan' },
      byDialedPrefix: {},
      defaultCentreId: 'city',
    },
    ...rest,
    // Engine tests opt in to the summary gate (engine-summary.test.ts); the rest test timers alone.
    wrapUp: { ...base.wrapUp, requireSummary: false, ...rest.wrapUp },
    defaultPolicy: {
      ...base.defaultPolicy,
      ...policy,
      overflow: { ...base.defaultPolicy.overflow, ...policy?.overflow },
    },
  });
}

export type TelephonyAction =
  | { kind: 'ring'; at: number; callId: string; seatId: string; ringMs: number }
  | { kind: 'overflow'; at: number; callId: string; target: '12345' | 'callback'; trigger: OverflowTrigger }
  | { kind: 'cancel-ring'; at: number; callId: string; seatId: string };

/** A telephony port that only records what it was asked to do. */
export class RecordingTelephony implements TelephonyPort {
  readonly actions: TelephonyAction[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly onAction?: (a: TelephonyAction) => void,
  ) {}

  ring(call: Call, seatId: string, ringMs: number): void {
    this.record({ kind: 'ring', at: this.clock.now(), callId: call.id, seatId, ringMs });
  }

  overflow(call: Call, target: '12345' | 'callback', trigger: OverflowTrigger): void {
    this.record({ kind: 'overflow', at: this.clock.now(), callId: call.id, target, trigger });
  }

  cancelRing(call: Call, seatId: string): void {
    this.record({ kind: 'cancel-ring', at: this.clock.now(), callId: call.id, seatId });
  }

  /** Rings as "call->seat", in order. */
  rings(): string[] {
    return this.actions.flatMap((a) => (a.kind === 'ring' ? [`${a.callId}->${a.seatId}`] : []));
  }

  overflows(): Extract<TelephonyAction, { kind: 'overflow' }>[] {
    return this.actions.filter((a): a is Extract<TelephonyAction, { kind: 'overflow' }> => a.kind === 'overflow');
  }

  private record(a: TelephonyAction): void {
    this.actions.push(a);
    this.onAction?.(a);
  }
}

export interface HarnessOptions {
  seats: SeatProfile[];
  config?: RoutingConfig;
  start?: number;
  store?: EngineStore;
  clock?: VirtualClock;
  telephony?: RecordingTelephony;
  requireRegistration?: boolean;
  ringGraceMs?: number;
}

export interface CallOptions {
  category?: string;
  ivrCode?: string;
  flags?: CallerFlag[];
  caller?: string;
  dialed?: string;
  trunk?: string;
  offerBudget?: number;
}

let callerSeq = 0;

export class EngineHarness {
  readonly clock: VirtualClock;
  readonly store: EngineStore;
  readonly telephony: RecordingTelephony;
  readonly engine: AcdEngine;

  constructor(opts: HarnessOptions) {
    this.clock = opts.clock ?? new VirtualClock(opts.start ?? T0);
    this.store = opts.store ?? new MemoryEngineStore();
    this.telephony = opts.telephony ?? new RecordingTelephony(this.clock);
    this.engine = new AcdEngine({
      clock: this.clock,
      store: this.store,
      telephony: this.telephony,
      config: opts.config ?? makeConfig(),
      seats: opts.seats,
      requireRegistration: opts.requireRegistration,
      ringGraceMs: opts.ringGraceMs,
    });
  }

  /** The in-memory store (when the harness made one). */
  get memory(): MemoryEngineStore {
    if (!(this.store instanceof MemoryEngineStore)) throw new Error('this harness does not use a MemoryEngineStore');
    return this.store;
  }

  now(): number {
    return this.clock.now();
  }

  advanceS(s: number): void {
    this.clock.advance(s * SEC);
  }

  /** Makes the seats ready in the given order, one second apart: the first is the longest idle. */
  readyInOrder(...ids: string[]): void {
    ids.forEach((id, i) => {
      if (i > 0) this.advanceS(1);
      this.engine.setSeatReady(id);
    });
  }

  /** Logs seats in as not-ready (busy, but able to take calls later). */
  busy(...ids: string[]): void {
    for (const id of ids) this.engine.setSeatNotReady(id, 'meal');
  }

  call(id: string, o: CallOptions = {}): Call {
    return this.engine.offerCall({
      id,
      caller: o.caller ?? `1390000${String(++callerSeq).padStart(4, '0')}`,
      dialed: o.dialed ?? '12348',
      trunk: o.trunk ?? null,
      categoryId: o.ivrCode !== undefined ? null : (o.category ?? 'labor'),
      ivrCode: o.ivrCode ?? null,
      flags: o.flags ?? [],
      offerBudget: o.offerBudget,
    });
  }

  /** The call as the engine holds it, or its last stored version once it is over. */
  callById(id: string): Call {
    const c = this.engine.getCall(id) ?? this.memory.calls.get(id);
    if (!c) throw new Error(`unknown call ${id}`);
    return c;
  }

  state(callId: string): CallState {
    return this.callById(callId).state;
  }

  /** The seat a call is ringing at, or null. */
  ringingAt(callId: string): string | null {
    const st = this.state(callId);
    return st.kind === 'ringing' ? st.seatId : null;
  }

  seatState(seatId: string): SeatState {
    return this.engine.getSeat(seatId).state;
  }

  events<K extends CallEvent['type']>(callId: string, type: K): Extract<CallEvent, { type: K }>[] {
    return this.callById(callId).events.filter((e): e is Extract<CallEvent, { type: K }> => e.type === type);
  }

  offers(callId: string): Extract<CallEvent, { type: 'offered' }>[] {
    return this.events(callId, 'offered');
  }

  /** Answers a call at the seat it is ringing at. */
  answer(callId: string): void {
    const seatId = this.ringingAt(callId);
    if (!seatId) throw new Error(`call ${callId} is not ringing`);
    this.engine.answered(callId, seatId);
  }

  /** Answers, talks for `talkS` seconds and hangs up: the seat goes to wrap-up. */
  serve(callId: string, talkS = 60): void {
    this.answer(callId);
    this.advanceS(talkS);
    this.engine.hangup(callId, 'caller');
  }
}

export function createHarness(opts: HarnessOptions): EngineHarness {
  return new EngineHarness(opts);
}

/** Catches the error a function throws (fails the test when it throws nothing). */
export function thrown(fn: () => unknown): Error & { code?: string; details?: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected the function to throw');
}
