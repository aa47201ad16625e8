import { z } from 'zod';

/**
 * The JSON messages between Kamailio (sip-config/kamailio-*.cfg.tmpl: events are sent from
 * parts 2-4, commands are read in kamailio-4-decisions.cfg.tmpl) and the router, over one
 * evapi TCP connection. Kamailio → router: `event`; router → Kamailio: `cmd`.
 */

/**
 * Kamailio allows at most `max_branches` branches per transaction (30 at most in
 * 5.6). A queued call uses one for its first suspension, then two per offer (the
 * ring, then the suspension after it fails) and one for its final relay (overflow
 * to 12345). So a call can be offered at most (max_branches - 2) / 2 times, 14 by
 * default: the engine is told, and overflows the call cleanly before the budget
 * runs out.
 */
export function offerBudgetFor(maxBranches: number): number {
  return Math.floor((maxBranches - 2) / 2);
}

const int = z.coerce.number().int();

export const EnqueueEvent = z.object({
  event: z.literal('enqueue'),
  callid: z.string().min(1),
  tindex: int,
  tlabel: int,
  caller: z.string(),
  dialed: z.string(),
  ivr: z.string().default(''),
  /** X-Caller-Flags as sent by the trunk (comma or space separated); `<null>` when absent. */
  flags: z.string().default(''),
  ticket: z.string().default(''),
  /** X-Transfer: the token of a seat's transfer (REFER) this call comes back in by. */
  xfer: z.string().default(''),
  /** X-Caller-Language as sent by the trunk (a language tag such as `en`); '' when absent. */
  lang: z.string().default(''),
  /** Source address of the trunk. */
  src: z.string(),
  /** Arrival time at Kamailio, unix seconds with fraction or ms. */
  at: z.coerce.number().optional(),
});
export type EnqueueEvent = z.infer<typeof EnqueueEvent>;

export const KamailioEvent = z.discriminatedUnion('event', [
  EnqueueEvent,
  z.object({ event: z.literal('ring-failed'), callid: z.string(), tindex: int, tlabel: int, seat: z.string(), code: int }),
  z.object({ event: z.literal('answered'), callid: z.string(), seat: z.string() }),
  z.object({ event: z.literal('cancel'), callid: z.string() }),
  z.object({ event: z.literal('bye'), callid: z.string(), by: z.enum(['caller', 'seat']) }),
  z.object({ event: z.literal('hold'), callid: z.string() }),
  z.object({ event: z.literal('resume'), callid: z.string() }),
  z.object({ event: z.literal('queue-timeout'), callid: z.string() }),
  z.object({ event: z.literal('overflow-failed'), callid: z.string(), code: int }),
  z.object({ event: z.literal('continue-failed'), callid: z.string(), cmd: z.string() }),
  z.object({ event: z.literal('reg'), seat: z.string(), contacts: int }),
  z.object({ event: z.literal('reg-expired'), aor: z.string() }),
  z.object({ event: z.literal('held'), callid: z.string(), state: z.string(), info: z.unknown().optional() }),
  z.object({ event: z.literal('sync-done') }),
  z.object({ event: z.literal('pong') }),
]);
export type KamailioEvent = z.infer<typeof KamailioEvent>;

/** What Kamailio holds for a call, as `held` reports it: waiting | ringing:<seat> | talking:<seat>. */
export function parseHeldState(state: string): { kind: 'waiting' | 'ringing' | 'talking'; seat: string | null } | null {
  const m = /^(waiting|ringing|talking)(?::(.+))?$/.exec(state);
  if (!m) return null;
  return { kind: m[1] as 'waiting' | 'ringing' | 'talking', seat: m[2] ?? null };
}

export type Decision =
  | { cmd: 'ring'; tindex: number; tlabel: number; callid: string; seat: string; ring_ms: number }
  | { cmd: 'overflow'; tindex: number; tlabel: number; callid: string; uri: string; reason: string }
  | { cmd: 'reject'; tindex: number; tlabel: number; callid: string; code: number; reason: string };

export type KamailioCommand =
  | Decision
  | { cmd: 'sync' }
  | { cmd: 'ping' }
  | { cmd: 'reg-query'; seat: string }
  /** Lets seat `from` call seat `to` (a consultation before a transfer) for `ttl_s` seconds. */
  | { cmd: 'consult-allow'; from: string; to: string; ttl_s: number }
  /** The seat's session ended: refuse its credentials expiring at or before `until` (unix s) for `ttl_s`, unregister it. */
  | { cmd: 'seat-revoke'; seat: string; until: number; ttl_s: number };
