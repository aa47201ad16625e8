import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RoutingConfigSchema, type RoutingConfig } from './domain/policy.js';

/** The server's settings: one schema over the environment, parsed once at start. */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:5060')
  .refine((v) => Number(v.split(':')[1]) <= 65535, 'port must be at most 65535');

const cidrList = z
  .string()
  .regex(
    /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?(\s*,\s*\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?)*$/,
    'must be IPv4 addresses or CIDRs, comma separated',
  );

const TRUST_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxy = z.string().transform((v, ctx): false | string[] => {
  const t = v.trim().toLowerCase();
  if (t === 'false' || t === 'no' || t === '0' || t === 'none') return false;
  const items = t
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = items.filter((x) => !TRUST_NAMES.has(x) && !/^[0-9a-f:.]+(\/\d{1,3})?$/.test(x));
  if (items.length === 0 || bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be false, or addresses/CIDRs/loopback/linklocal/uniquelocal, comma separated (never "true": that would believe any client)',
    });
    return z.NEVER;
  }
  return items;
});

const originList = z.string().transform((v, ctx): string[] => {
  const items = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const item of items) {
    let u: URL | null;
    try {
      u = new URL(item);
    } catch {
      u = null;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== item.replace(/\/$/, '')) {
      ctx.addIssue({ code: 'custom', message: `${item} is not an origin (scheme://host[:port], nothing after it)` });
      return z.NEVER;
    }
    out.push(u.origin);
  }
  return out;
});

/** A control port: loopback only, never reachable from the network. */
const loopbackHostPort = hostPort.refine(
  (v) => /^(127\.\d+\.\d+\.\d+|localhost):/.test(v),
  'control ports listen on loopback only (127.x.x.x)',
);

/** Splits host:port. */
/** rtpengine's recording-dir (pcaps/ of the calls being recorded), under SIP_RUN_DIR. */
export const recordingSpoolDir = (runDir: string) => path.join(path.resolve(runDir), 'recording-spool');

export function splitHostPort(v: string): { host: string; port: number } {
  const i = v.lastIndexOf(':');
  return { host: v.slice(0, i), port: Number(v.slice(i + 1)) };
}

export const EnvSchema = z.object({
  PORT: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DB_PATH: z.string().min(1).default('data/hotline.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** While the database's disk is full: seconds between the probe writes that tell when it has room again. */
  STORAGE_PROBE_S: z.coerce.number().int().min(1).max(3600).default(10),
  /** Free space (MB) the database's file system must have again before new work is taken (with a probe write). */
  STORAGE_RESUME_FREE_MB: z.coerce.number().min(0).max(1_000_000).default(64),
  /** Optional JSON file with a routing configuration that replaces the stored one at start. */
  ROUTING_CONFIG_FILE: z.string().optional(),
  /**
   * demo (the default of `npm start`): the demo accounts and a 演示环境 banner on every page.
   * production: no demo data, and the server refuses to start while any account has a demo password.
   */
  HOTLINE_MODE: z.enum(['demo', 'production']).default('demo'),
  /** Passwords older than this many days must be changed at sign-in (0: no expiry). */
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).max(3650).default(0),
  /** Create the demo centres, seats and accounts when the database is empty (demo mode only). */
  DEMO_SEED: bool.default(true),
  /** With the demo seed, also five weeks of call history for the reports (off for test stacks that count calls). */
  DEMO_HISTORY: bool.default(true),
  /** Secure cookies (set when the console is served over https). */
  COOKIE_SECURE: bool.default(false),
  /** A session's absolute lifetime (a shift): it ends then whatever its user does. */
  SESSION_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 14)
    .default(12),
  /** A session nobody used for this long ends (a seat on a call or in wrap-up is never idle); 0 turns it off. */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(30),
  /** At most this many sessions per user: signing in once more ends the oldest. */
  SESSION_MAX_PER_USER: z.coerce.number().int().min(1).max(50).default(3),
  /**
   * Which proxies in front of the router are believed about the client's address
   * (X-Forwarded-For): `false` (none, the default: the address is the TCP peer's), or a comma
   * separated list of addresses, CIDRs and Express's names (loopback, linklocal, uniquelocal).
   */
  TRUST_PROXY: trustProxy.default(false),
  /**
   * Origins (scheme://host[:port]) a browser may use the console from besides the router's own
   * address, e.g. https://12348.example.gov.cn behind a reverse proxy. State-changing requests
   * and Socket.IO handshakes from any other Origin are refused.
   */
  PUBLIC_ORIGINS: originList.default([]),
  /** Open Socket.IO connections per user (every tab is one); one more is refused. */
  SOCKETS_PER_USER: z.coerce.number().int().min(1).max(100).default(8),
  /** The largest Socket.IO message a client may send, in bytes. */
  SOCKET_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1_000_000)
    .default(32 * 1024),
  /** A seat whose console disconnected goes offline after this many seconds without reconnecting. */
  SEAT_DISCONNECT_GRACE_S: z.coerce.number().min(0).max(3600).default(30),
  /** Serve the built client from this folder (if it exists). */
  CLIENT_DIST: z.string().default('client/dist'),

  // ---- telephony (Kamailio + rtpengine); scripts/sip-config.ts renders sip-config/ from these same keys
  /** `kamailio`: calls come from Kamailio over evapi; `none`: no telephony (tests of the console alone). */
  TELEPHONY: z.enum(['kamailio', 'none']).default('none'),
  /** Kamailio's evapi control port (loopback only). */
  EVAPI_ADDR: loopbackHostPort.default('127.0.0.1:8448'),
  /**
   * SIP domain of the seats' softphones (sip:s01@<domain>). Its last label must start with
   * a letter (RFC 3261 toplabel), or SIP stacks such as JsSIP refuse the URI.
   */
  SIP_DOMAIN: z
    .string()
    .regex(
      /^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?$/,
      'must be a host name whose last label starts with a letter, e.g. 12348.local',
    )
    .default('12348.local'),
  /** Trunk UDP listener: calls from the network arrive here. */
  SIP_TRUNK_ADDR: hostPort.default('127.0.0.1:5060'),
  /** Source addresses (IPs or CIDRs, comma separated) of trunks allowed to send INVITEs to 12348. */
  SIP_TRUNK_SOURCES: cidrList.default('127.0.0.1/32'),
  /** Never banned by the flood guard (trunks are always trusted): e.g. an office behind one NAT. */
  SIP_TRUSTED_SOURCES: cidrList.default('127.0.0.0/8'),
  /** WebSocket listener for the browser softphones (loopback: ws; any other address: wss with a self-signed certificate). */
  SIP_WS_ADDR: hostPort.default('127.0.0.1:8088'),
  /** Where overflow to the 12345 government hotline is sent. */
  SIP_12345_URI: z
    .string()
    .regex(/^sips?:[^\s]+$/, 'must be a sip: URI')
    .default('sip:12345@127.0.0.1:5070'),
  /** rtpengine's control (ng) port, loopback only. */
  RTPENGINE_NG_ADDR: loopbackHostPort.default('127.0.0.1:2223'),
  /** rtpengine's media address as seen by the seats and the trunk. */
  RTP_ADDR: z.ipv4({ message: 'must be an IPv4 address' }).default('127.0.0.1'),
  RTP_PORT_MIN: z.coerce.number().int().min(1024).max(65000).default(30000),
  RTP_PORT_MAX: z.coerce.number().int().min(1024).max(65535).default(34999),
  /**
   * The WAV file played to a caller the routing turns into a call-back request, before the call
   * ends (sip-config/prompts/README.md); `none`: the caller hears 480 Callback Scheduled instead.
   */
  CALLBACK_PROMPT_FILE: z.string().min(1).default('sip-config/prompts/callback-zh-CN.wav'),
  // ---- the post-call survey by phone (README "Satisfaction and 回访", sip-config/prompts/README.md)
  /** always: every answered call; never; seat: the seat chooses per call in the workbench (on unless switched off). */
  SURVEY_POLICY: z.enum(['always', 'never', 'seat']).default('seat'),
  /** The keypad scale, digit=score (1 非常满意, 2 满意, 3 基本满意, 4 不满意); the prompts must say the same. */
  SURVEY_KEYS: z.string().min(3).default('1=1,2=2,3=3,4=4'),
  /** How long after the question the caller may still press a key (then the question is repeated once). */
  SURVEY_NO_INPUT_MS: z.coerce.number().int().min(500).max(60_000).default(6000),
  /** Folder of the survey's prompts: survey-question-zh-CN.wav, survey-invalid-zh-CN.wav, survey-thanks-zh-CN.wav. */
  SURVEY_PROMPT_DIR: z.string().min(1).default('sip-config/prompts'),
  /** rtpengine reports every RFC 4733 digit here as JSON (UDP, loopback). */
  DTMF_LOG_ADDR: loopbackHostPort.default('127.0.0.1:9348'),
  /** Secret shared with Kamailio's auth_ephemeral; created with mode 0600 when missing. Never in git. */
  SIP_SECRET_FILE: z.string().min(1).default('data/sip-secret'),
  /** Lifetime of a seat's SIP credentials: at most a shift. */
  SIP_CREDENTIAL_HOURS: z.coerce.number().min(0.02).max(12).default(12),
  /**
   * Kamailio's max_branches (at most 30 in Kamailio 5.6): bounds how many times one
   * queued call can be offered (see telephony/kamailio-protocol.ts). Lower it only to test.
   */
  SIP_MAX_BRANCHES: z.coerce.number().int().min(4).max(30).default(30),
  /** Folder for the rendered Kamailio/rtpengine configs, pid files and control sockets. */
  SIP_RUN_DIR: z.string().min(1).default('.run/sip'),

  // ---- retention (npm run retention; README "Retention")
  /** Caller numbers are anonymised this many months after the call ended. */
  RETENTION_CALLER_MONTHS: z.coerce.number().int().min(1).max(600).default(36),
  /** Ended sessions are deleted after this many days. */
  RETENTION_SESSION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Sign-in failures and 12345 webhook receipts are deleted after this many days. */
  RETENTION_RECORD_DAYS: z.coerce.number().int().min(1).max(3650).default(90),

  // ---- the 12345 platform (hand-overs both ways; README "12345 integration")
  /** Base URL of the 12345 platform's API: work orders and ticket results are POSTed under it. */
  H12345_API_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default('http://127.0.0.1:5071/api/12348'),
  /**
   * `<key id>=<secret>` lines shared with 12345 (the first signs, all verify); created with mode
   * 0600 when missing. Never in git. Default: `12345-keys` next to the database.
   */
  H12345_KEY_FILE: z.string().min(1).optional(),
  /**
   * Where a 12345 ticket's content comes from: `webhook` (12345 pushes it before the call) or
   * `fetch` (also: a call carrying a ticket not on file makes the router GET
   * `<H12345_API_URL>/tickets/<id>`, signed; the call waits in the queue meanwhile).
   */
  H12345_TICKET_SOURCE: z.enum(['webhook', 'fetch']).default('webhook'),
  H12345_TICKET_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(1500),
  /** How far a signed webhook's timestamp may be from this server's clock. */
  H12345_MAX_SKEW_S: z.coerce.number().int().min(10).max(3600).default(300),
  /** Send the caller's number with a work order (false: masked, 139****5678). */
  H12345_SHARE_CALLER_NUMBER: bool.default(true),
  /** Outbox back-off: first retry after this, doubled each time up to the maximum. */
  H12345_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  H12345_RETRY_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(300_000),
  /** Key ring of the external survey provider's webhook (`<key id>=<secret>` lines); created when missing. */
  SURVEY_WEBHOOK_KEYS_FILE: z.string().min(1).default('data/survey-webhook-keys'),
  /** A webhook's timestamp may be this far from the router's clock. */
  SURVEY_WEBHOOK_MAX_SKEW_S: z.coerce.number().int().min(10).max(3600).default(300),
  /** 回访: hours to call back a dissatisfied caller, and a callback-overflow caller. */
  VISIT_DISSATISFIED_DUE_H: z.coerce.number().min(0.1).max(720).default(24),
  VISIT_CALLBACK_DUE_H: z.coerce.number().min(0.1).max(720).default(24),
  /** 回访: share of other answered calls sampled for a quality visit (percent), and its deadline. */
  VISIT_SAMPLE_PERCENT: z.coerce.number().min(0).max(100).default(5),
  VISIT_SAMPLE_DUE_H: z.coerce.number().min(0.1).max(720).default(72),
  /** Call recordings (docs/recordings.md): where the files live, how long they are kept. */
  RECORDING: z.enum(['on', 'off']).default('on'),
  RECORDING_DIR: z.string().min(1).default('data/recordings'),
  RECORDING_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /** The administrators' alarm: fewer days of space left than this at the current rate. */
  RECORDING_ALARM_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Category ids whose calls are not recorded, comma-separated (e.g. a confidential line). */
  RECORDING_OFF_CATEGORIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  /** The zh-CN notice "本次通话将被录音" played to the caller at the answer; `none`: no notice. */
  RECORDING_NOTICE_FILE: z.string().min(1).default('sip-config/prompts/recording-notice-zh-CN.wav'),
  /** 回访 retries after no answer / busy: spacing (grows with each attempt) and the cap. */
  VISIT_RETRY_SPACING_MIN: z.coerce.number().min(1).max(1440).default(30),
  VISIT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /**
   * 回访 click-to-call: where Kamailio sends outbound calls (the trunk's host:port; empty = not
   * configured, the page says to dial by hand), the calling number the citizen sees, and how long
   * the citizen's phone rings before the attempt counts as no answer.
   */
  OUTBOUND_TRUNK_ADDR: z
    .string()
    .regex(/^$|^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port or empty')
    .default(''),
  OUTBOUND_CALLER_ID: z
    .string()
    .regex(/^\+?[0-9]{3,20}$/, 'must be digits')
    .default('12348'),
  OUTBOUND_RING_S: z.coerce.number().int().min(5).max(120).default(40),
});

export type ServerConfig = z.infer<typeof EnvSchema> & { routingOverride: RoutingConfig | null };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describe(issues: readonly z.core.$ZodIssue[], source: Record<string, unknown>, prefix = ''): string {
  return issues
    .map((i) => {
      const key = prefix + i.path.map(String).join('.');
      const got = i.path.length === 1 && !prefix ? source[String(i.path[0])] : undefined;
      return `${key}: ${i.message}${got !== undefined ? ` (got ${JSON.stringify(got)})` : ''}`;
    })
    .join('; ');
}

/** Parses the environment; throws ConfigError with a sentence that names each bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const known = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = EnvSchema.safeParse(known);
  if (!parsed.success) throw new ConfigError(`Invalid configuration: ${describe(parsed.error.issues, known)}.`);
  let routingOverride: RoutingConfig | null = null;
  const file = parsed.data.ROUTING_CONFIG_FILE;
  if (file) {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`Invalid configuration: ROUTING_CONFIG_FILE: cannot read ${file} as JSON (${(err as Error).message}).`);
    }
    const r = RoutingConfigSchema.safeParse(raw);
    if (!r.success) {
      throw new ConfigError(`Invalid configuration: ROUTING_CONFIG_FILE ${file}: ${describe(r.error.issues, {}, '')}.`);
    }
    routingOverride = r.data;
  }
  return { ...parsed.data, routingOverride };
}
