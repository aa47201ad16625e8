import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { recordingSpoolDir, splitHostPort, type ServerConfig } from '../config.js';
import { isLoopbackHost, wsUrlFor } from '../telephony/credentials.js';

/**
 * Renders Kamailio's and rtpengine's configs from the product's own settings
 * (the same zod-checked environment the routing server reads), so that ports,
 * addresses and the auth_ephemeral secret are stated once. Templates live in
 * sip-config/ with {{NAME}} placeholders; the rendered files go to SIP_RUN_DIR.
 * Kamailio's template is in parts (KAMAILIO_TEMPLATE_PARTS) that render into one file.
 */

export type SipSettings = Pick<
  ServerConfig,
  | 'EVAPI_ADDR'
  | 'SIP_DOMAIN'
  | 'SIP_TRUNK_ADDR'
  | 'SIP_TRUNK_SOURCES'
  | 'SIP_TRUSTED_SOURCES'
  | 'SIP_WS_ADDR'
  | 'SIP_12345_URI'
  | 'RTPENGINE_NG_ADDR'
  | 'RTP_ADDR'
  | 'RTP_PORT_MIN'
  | 'RTP_PORT_MAX'
  | 'SIP_MAX_BRANCHES'
  | 'DTMF_LOG_ADDR'
  | 'SIP_RUN_DIR'
>;

export interface RenderOptions {
  /** Folder holding the templates (default: sip-config/ at the repository root). */
  templateDir?: string;
  /** Longest time Kamailio itself holds a queued call (a backstop behind the router's own max wait). */
  queueMaxMs?: number;
  /** Kamailio worker processes per listener. */
  children?: number;
  /** Kamailio log level (0 warnings, 1 notices, 2 info, 3 debug). */
  debugLevel?: number;
  modulesDir?: string;
}

export interface RenderedSipConfig {
  runDir: string;
  kamailioCfg: string;
  rtpengineConf: string;
  /** Whether the WebSocket listener is WSS (a non-loopback address). */
  tls: boolean;
  wsUrl: string;
}

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/** Substitutes every {{NAME}}; a placeholder without a value is an error, not an empty string. */
export function fillTemplate(text: string, values: Record<string, string | number>, name: string): string {
  const missing = new Set<string>();
  const out = text.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_m, key: string) => {
    if (!(key in values)) {
      missing.add(key);
      return '';
    }
    return String(values[key]);
  });
  if (missing.size > 0) throw new Error(`${name}: no value for ${[...missing].join(', ')}`);
  return out;
}

/**
 * Kamailio's template, split along its own sections so that no file is long; each part is a
 * contiguous slice of the one config, in this order. render.ts joins them into ONE rendered
 * kamailio.cfg rather than rendering each part and letting Kamailio `include_file` them:
 * everything downstream reads that one file as before (`kamailio -c -f` and its line
 * numbers, the bench's direct-route hook in bench/sip/stack.ts, the tests), and the file
 * that holds the secret stays a single 0600 file. scripts/sip-config.ts maps a rendered
 * line back to its part and line through `origin`.
 */
export const KAMAILIO_TEMPLATE_PARTS = [
  'kamailio-1-global.cfg.tmpl',
  'kamailio-2-request.cfg.tmpl',
  'kamailio-3-new-calls.cfg.tmpl',
  'kamailio-4-decisions.cfg.tmpl',
  'kamailio-5-outbound.cfg.tmpl',
  'kamailio-6-listen.cfg.tmpl',
] as const;

/** Where a line of the joined Kamailio template comes from: a part file and its line (1-based). */
export interface TemplateOrigin {
  file: string;
  line: number;
}

export interface KamailioTemplate {
  /** Each part's file and its body: its lines without the header, ending in one newline. */
  parts: { file: string; body: string }[];
  /** The bodies joined with one blank line between them, placeholders not yet filled. */
  text: string;
  /** For each line of `text` (0-based), the part file and line it comes from. */
  origin: TemplateOrigin[];
}

/**
 * Reads the Kamailio template parts from `templateDir`. Each part opens with a header of
 * `#%` lines (what the part holds) and one blank line; the header is the template's own and
 * is left out. Trailing blank lines of a part are dropped (so an editor that trims or adds
 * them changes nothing) and one blank line separates the parts, as in the config before it
 * was split: the joined text is that config, byte for byte.
 */
export function readKamailioTemplate(templateDir: string): KamailioTemplate {
  const parts: KamailioTemplate['parts'] = [];
  const origin: TemplateOrigin[] = [];
  for (const part of KAMAILIO_TEMPLATE_PARTS) {
    const file = path.join(templateDir, part);
    if (!fs.existsSync(file)) {
      throw new Error(`${file} is missing: Kamailio's template is the parts ${KAMAILIO_TEMPLATE_PARTS.join(', ')}`);
    }
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let start = 0;
    while (lines[start]?.startsWith('#%')) start++;
    if (start === 0 || lines[start] !== '') {
      throw new Error(`${file}: a template part opens with its #% header lines, then one blank line`);
    }
    start++;
    let end = lines.length;
    while (end > start && lines[end - 1]!.trim() === '') end--;
    if (parts.length > 0) origin.push({ file, line: start }); // the blank line between parts: the header's
    for (let n = start; n < end; n++) origin.push({ file, line: n + 1 });
    parts.push({ file, body: `${lines.slice(start, end).join('\n')}\n` });
  }
  return { parts, text: parts.map((p) => p.body).join('\n'), origin };
}

/** The modules folder of the installed Kamailio (Debian's multiarch path). */
export function kamailioModulesDir(): string {
  for (const dir of [
    '/usr/lib/x86_64-linux-gnu/kamailio/modules',
    '/usr/lib/aarch64-linux-gnu/kamailio/modules',
    '/usr/lib/kamailio/modules',
  ]) {
    if (fs.existsSync(path.join(dir, 'tm.so'))) return dir;
  }
  return '/usr/lib/x86_64-linux-gnu/kamailio/modules';
}

function ensureSelfSignedCert(runDir: string, host: string): { cert: string; key: string } {
  const cert = path.join(runDir, 'tls-cert.pem');
  const key = path.join(runDir, 'tls-key.pem');
  if (!fs.existsSync(cert) || !fs.existsSync(key)) {
    const san = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? `IP:${host}` : `DNS:${host}`;
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '825',
        '-subj',
        `/CN=${host}`,
        '-addext',
        `subjectAltName=${san}`,
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'pipe' },
    );
    fs.chmodSync(key, 0o600);
  }
  return { cert, key };
}

/** Renders both configs with the auth_ephemeral `secret` (see telephony/credentials.ts). */
export function renderSipConfig(settings: SipSettings, secret: string, opts: RenderOptions = {}): RenderedSipConfig {
  const templateDir = opts.templateDir ?? path.join(REPO_ROOT, 'sip-config');
  const runDir = path.resolve(settings.SIP_RUN_DIR);
  fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const ws = splitHostPort(settings.SIP_WS_ADDR);
  const trunk = splitHostPort(settings.SIP_TRUNK_ADDR);
  const tls = !isLoopbackHost(ws.host);
  if (settings.RTP_PORT_MIN >= settings.RTP_PORT_MAX) {
    throw new Error(`RTP_PORT_MIN (${settings.RTP_PORT_MIN}) must be below RTP_PORT_MAX (${settings.RTP_PORT_MAX})`);
  }
  let wsListen = `listen=tcp:${ws.host}:${ws.port}`;
  if (tls) {
    const { cert, key } = ensureSelfSignedCert(runDir, ws.host);
    wsListen = `listen=tls:${ws.host}:${ws.port}\nenable_tls=yes`;
    fs.writeFileSync(
      path.join(runDir, 'tls.cfg'),
      `[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\nprivate_key = ${key}\ncertificate = ${cert}\n`,
    );
  }
  const queueMaxMs = opts.queueMaxMs ?? 900_000;
  const kamailioValues = {
    TLS_DEFINE: tls ? '#!define WITH_TLS' : '',
    // 1 = notice and above: at info, auth_ephemeral would log the secret
    DEBUG_LEVEL: opts.debugLevel ?? 1,
    CHILDREN: opts.children ?? 4,
    SIP_DOMAIN: settings.SIP_DOMAIN,
    MODULES_DIR: opts.modulesDir ?? kamailioModulesDir(),
    TRUNK_LISTEN: `udp:${trunk.host}:${trunk.port}`,
    WS_LISTEN: wsListen,
    RUN_DIR: runDir,
    QUEUE_MAX_MS: queueMaxMs,
    SEAT_NO_RESPONSE_MS: 5000,
    MAX_BRANCHES: settings.SIP_MAX_BRANCHES,
    SIP_SECRET: secret,
    RTPENGINE_NG: settings.RTPENGINE_NG_ADDR,
    EVAPI_BIND: settings.EVAPI_ADDR,
    TRUNK_SOURCES: settings.SIP_TRUNK_SOURCES.replace(/\s+/g, ''),
    TRUSTED_SOURCES: settings.SIP_TRUSTED_SOURCES.replace(/\s+/g, ''),
  };
  const kamailioCfg = readKamailioTemplate(templateDir)
    .parts.map((p) => fillTemplate(p.body, kamailioValues, path.basename(p.file)))
    .join('\n');
  const rtpengineConf = fillTemplate(
    fs.readFileSync(path.join(templateDir, 'rtpengine.conf.tmpl'), 'utf8'),
    {
      RTP_ADDR: settings.RTP_ADDR,
      RTPENGINE_NG: settings.RTPENGINE_NG_ADDR,
      RTP_PORT_MIN: settings.RTP_PORT_MIN,
      RTP_PORT_MAX: settings.RTP_PORT_MAX,
      DTMF_LOG: settings.DTMF_LOG_ADDR,
      RECORDING_SPOOL: recordingSpoolDir(runDir),
    },
    'rtpengine.conf.tmpl',
  );
  const kamPath = path.join(runDir, 'kamailio.cfg');
  const rtpPath = path.join(runDir, 'rtpengine.conf');
  // The rendered Kamailio config holds the secret: readable by this user only.
  fs.writeFileSync(kamPath, kamailioCfg, { mode: 0o600 });
  fs.writeFileSync(rtpPath, rtpengineConf);
  return { runDir, kamailioCfg: kamPath, rtpengineConf: rtpPath, tls, wsUrl: wsUrlFor(settings.SIP_WS_ADDR) };
}

/**
 * `kamailio -c`: returns null when the config is valid, else the lines of Kamailio's
 * output that say what is wrong (errors first), ready to show to a person.
 */
export function checkKamailioConfig(cfgPath: string): string | null {
  const r = spawnSync('kamailio', ['-c', '-f', cfgPath], { encoding: 'utf8' });
  if (r.error) return `cannot run kamailio: ${r.error.message}`;
  if (r.status === 0) return null;
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.trim());
  const errors = lines.filter((l) => /ERROR|CRITICAL|error/.test(l));
  return (errors.length > 0 ? errors : lines).slice(0, 12).join('\n');
}
