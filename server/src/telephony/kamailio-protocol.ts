import { z } from 'zod';

/**
 * The JSON messages between Kamailio (sip-config/kamailio-*.cfg.tmpl: events are sent from
 * parts 2-5, commands are read in kamailio-4-decisions.cfg.tmpl) and the router, over one
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
  /** ftag / ttag: the caller's From tag and the seat's To tag (the dialog's tags, for the survey and 强拆). */
  z.object({
    event: z.literal('answered'),
    callid: z.string(),
    seat: z.string(),
    ftag: z.string().default(''),
    ttag: z.string().default(''),
  }),
  z.object({ event: z.literal('cancel'), callid: z.string() }),
  /** survey: 1 when the seat hung up and Kamailio kept the caller for the survey (SURVEY_BYE). */
  z.object({ event: z.literal('bye'), callid: z.string(), by: z.enum(['caller', 'seat']), survey: int.optional() }),
  /** In the resync: a caller Kamailio keeps for the survey (the seat has gone). */
  z.object({ event: z.literal('surveying'), callid: z.string(), ftag: z.string(), ttag: z.string() }),
  /** The caller hung up during the survey. */
  z.object({ event: z.literal('survey-bye'), callid: z.string() }),
  /** The dialog module sent BYE (side caller: after the survey; all: 强拆), or could not. */
  z.object({ event: z.literal('ended'), callid: z.string(), side: z.enum(['caller', 'all']) }),
  z.object({ event: z.literal('end-failed'), callid: z.string(), why: z.string() }),
  /** A seat's consultation call was answered (its own Call-ID; `seat` consults `to`): recorded with the seat's call. */
  z.object({ event: z.literal('consult-answered'), callid: z.string(), seat: z.string(), to: z.string() }),
  z.object({ event: z.literal('hold'), callid: z.string() }),
  z.object({ event: z.literal('resume'), callid: z.string() }),
  z.object({ event: z.literal('queue-timeout'), callid: z.string() }),
  z.object({ event: z.literal('overflow-failed'), callid: z.string(), code: int }),
  z.object({ event: z.literal('continue-failed'), callid: z.string(), cmd: z.string() }),
  z.object({ event: z.literal('reg'), seat: z.string(), contacts: int }),
  z.object({ event: z.literal('reg-expired'), aor: z.string() }),
  /**
   * Resync: a call Kamailio holds; a talking one with its dialog's tags (as in `answered`; '' when
   * unknown) and survey 1 when the caller is armed for the survey, 0 when not (absent: not said).
   */
  z.object({
    event: z.literal('held'),
    callid: z.string(),
    state: z.string(),
    info: z.unknown().optional(),
    ftag: z.string().default(''),
    ttag: z.string().default(''),
    survey: int.optional(),
  }),
  /** Resync: a talking call that ended by a BYE in the last minutes, who hung up (the router may have missed it). */
  z.object({ event: z.literal('gone'), callid: z.string(), seat: z.string(), by: z.enum(['caller', 'seat']) }),
  z.object({ event: z.literal('sync-done') }),
  z.object({ event: z.literal('pong') }),
  // Click-to-call (kamailio-5-outbound.cfg.tmpl): see telephony/outbound-line.ts.
  z.object({ event: z.literal('outbound-ready'), token: z.string() }),
  z.object({ event: z.literal('outbound-refused'), token: z.string(), seat: z.string() }),
  z.object({ event: z.literal('outbound-start'), token: z.string(), callid: z.string() }),
  z.object({ event: z.literal('outbound-answered'), callid: z.string() }),
  z.object({ event: z.literal('outbound-failed'), callid: z.string(), code: int }),
  z.object({ event: z.literal('outbound-bye'), callid: z.string(), by: z.enum(['seat', 'callee']) }),
  /** Resync: an outbound call's course so far, "<token>|<start>|<answered>|<end>|<ended>" (see outbound-line.ts). */
  z.object({ event: z.literal('outbound-state'), callid: z.string(), state: z.string() }),
  // 监听 (kamailio-6-listen.cfg.tmpl): see telephony/listen-line.ts. sdp: base64.
  z.object({ event: z.literal('listen-answered'), lid: z.string(), sdp: z.string() }),
  z.object({ event: z.literal('listen-failed'), lid: z.string(), code: int }),
  /** The listening phone hung up (its BYE). */
  z.object({ event: z.literal('listen-bye'), lid: z.string() }),
  /** The listening phone's WebSocket closed while the leg was up (the page reloaded or closed). */
  z.object({ event: z.literal('listen-gone'), lid: z.string() }),
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
  /** Keep (or no longer keep) the caller for the survey when the seat hangs up; ftag: the caller's From tag. */
  | { cmd: 'survey-arm' | 'survey-disarm'; callid: string; ftag: string }
  /** The dialog module sends BYE to the caller, or to both sides. */
  | { cmd: 'end'; callid: string; ftag: string; ttag: string; side: 'caller' | 'all' }
  /** Lets `seat` call sip:visit-<token>@domain once within `ttl_s`: Kamailio calls `uri` (the trunk) as `from`. */
  | { cmd: 'outbound-allow'; token: string; seat: string; uri: string; from: string; ring_s: number; ttl_s: number }
  /** The seat's session ended: refuse its credentials expiring at or before `until` (unix s) for `ttl_s`, unregister it. */
  | { cmd: 'seat-revoke'; seat: string; until: number; ttl_s: number }
  /** 监听: INVITE the listening phone `aor` with rtpengine's subscribe offer (`sdp`, base64); lid: the leg's Call-ID. */
  | { cmd: 'listen-start'; lid: string; aor: string; call: string; sdp: string }
  /** 监听: the router ended the leg (the phone sends the BYE; a leg still ringing: its answer is not reported). */
  | { cmd: 'listen-stop'; lid: string };
