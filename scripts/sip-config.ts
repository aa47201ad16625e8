/**
 * Renders Kamailio's and rtpengine's configs from the product's settings (the same
 * environment the routing server reads) into SIP_RUN_DIR and checks the Kamailio
 * config with `kamailio -c`.
 *
 *   node --import tsx scripts/sip-config.ts [--template-dir DIR]
 *
 * On success prints shell assignments (KEY='value', one a line) that start.sh evals:
 * the rendered files and the effective addresses. On failure prints what is wrong to
 * stderr — a bad setting (exit 78, as the server does), or Kamailio's own error lines
 * with the template line they come from and the setting that filled it (exit 1).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type ServerConfig } from '../server/src/config.js';
import { checkKamailioConfig, readKamailioTemplate, renderSipConfig, type TemplateOrigin } from '../server/src/sip/render.js';
import { loadOrCreateSipSecret } from '../server/src/telephony/credentials.js';

const EXIT_CONFIG = 78;
const DEFAULT_TEMPLATE_DIR = path.resolve(import.meta.dirname, '../sip-config');

/** The settings that are text (every setting a placeholder is filled from). */
type TextSetting = { [K in keyof ServerConfig]: ServerConfig[K] extends string ? K : never }[keyof ServerConfig];
/** Which setting fills each placeholder of the Kamailio template parts (render.ts). */
const PLACEHOLDER_SOURCE: Record<string, { key?: TextSetting; what?: string }> = {
  TLS_DEFINE: { key: 'SIP_WS_ADDR', what: 'TLS is on when SIP_WS_ADDR is not a loopback address' },
  WS_LISTEN: { key: 'SIP_WS_ADDR' },
  TRUNK_LISTEN: { key: 'SIP_TRUNK_ADDR' },
  SIP_DOMAIN: { key: 'SIP_DOMAIN' },
  RUN_DIR: { key: 'SIP_RUN_DIR' },
  SIP_SECRET: { key: 'SIP_SECRET_FILE', what: 'the secret read from SIP_SECRET_FILE' },
  RTPENGINE_NG: { key: 'RTPENGINE_NG_ADDR' },
  EVAPI_BIND: { key: 'EVAPI_ADDR' },
  TRUNK_SOURCES: { key: 'SIP_TRUNK_SOURCES' },
  TRUSTED_SOURCES: { key: 'SIP_TRUSTED_SOURCES' },
  MODULES_DIR: { what: "the installed Kamailio's modules folder (Debian package kamailio)" },
  DEBUG_LEVEL: { what: 'a render option in server/src/sip/render.ts' },
  CHILDREN: { what: 'a render option in server/src/sip/render.ts' },
  QUEUE_MAX_MS: { what: 'a render option in server/src/sip/render.ts' },
  SEAT_NO_RESPONSE_MS: { what: 'a constant in server/src/sip/render.ts' },
};

/** Debian package of each Kamailio module the template loads outside the core package. */
const MODULE_PACKAGE: Record<string, string> = {
  auth_ephemeral: 'kamailio-autheph-modules',
  jansson: 'kamailio-extra-modules',
  evapi: 'kamailio-extra-modules',
  tls: 'kamailio-tls-modules',
  websocket: 'kamailio-websocket-modules',
};

function fail(code: number, lines: string[]): never {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(code);
}

function parseArgs(argv: string[]): { templateDir: string } {
  let templateDir = DEFAULT_TEMPLATE_DIR;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--template-dir' && argv[i + 1]) templateDir = path.resolve(argv[++i]!);
    else if (a.startsWith('--template-dir=')) templateDir = path.resolve(a.slice('--template-dir='.length));
    else fail(2, [`usage: node --import tsx scripts/sip-config.ts [--template-dir DIR] (unknown argument ${JSON.stringify(a)})`]);
  }
  return { templateDir };
}

/** A single-quoted shell word. */
function shq(v: string | number): string {
  return `'${String(v).replace(/'/g, `'\\''`)}'`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Maps each line of the rendered file back to its line of the joined template (the parts
 * as render.ts joins them; readKamailioTemplate's `origin` then names the part file and its
 * line). A placeholder's value may span lines (WS_LISTEN with TLS), so a template line may
 * cover more than one rendered line; the next literal template line decides how many.
 * Returns, for each rendered line (0-based), the joined template's line (0-based), or null
 * where alignment fails.
 */
function alignToTemplate(template: string[], rendered: string[]): (number | null)[] {
  const out: (number | null)[] = rendered.map(() => null);
  let r = 0;
  for (let t = 0; t < template.length && r < rendered.length; t++) {
    const line = template[t]!;
    if (!/\{\{[A-Z0-9_]+\}\}/.test(line)) {
      if (rendered[r] !== line) return out; // lost: leave the rest unmapped
      out[r++] = t;
      continue;
    }
    const re = new RegExp(
      `^${line
        .split(/\{\{[A-Z0-9_]+\}\}/)
        .map(escapeRe)
        .join('[\\s\\S]*?')}$`,
    );
    const next = template[t + 1];
    let span = 0;
    for (let k = 1; k <= 4 && r + k <= rendered.length; k++) {
      if (!re.test(rendered.slice(r, r + k).join('\n'))) continue;
      const nextOk = next === undefined || /\{\{/.test(next) || rendered[r + k] === next;
      if (nextOk) {
        span = k;
        break;
      }
    }
    if (span === 0) return out;
    for (let k = 0; k < span; k++) out[r + k] = t;
    r += span;
  }
  return out;
}

/** Paths inside the repository relative to it, others absolute. */
function show(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

/** A readable account of what `kamailio -c` rejected, with a hint where it comes from. */
function explainCheckFailure(problem: string, cfgPath: string, templateDir: string, config: ServerConfig, secret: string): string[] {
  const redact = (s: string) => (secret ? s.split(secret).join('<secret>') : s);
  const errorLines = [
    ...new Set(
      problem
        .split('\n')
        .map((l) =>
          l
            .replace(/^\s*\d+\(\d+\)\s*/, '') // process number and pid
            .replace(/\[[^\]]+\]: \w+\(\): /, '') // source file and function
            .trim(),
        )
        .filter((l) => l && !/column [\d-]+:\s*$/.test(l)),
    ),
  ];
  const out = [`kamailio -c rejected the rendered config ${show(cfgPath)} (from the Kamailio template parts in ${show(templateDir)}):`];
  for (const l of errorLines) out.push(`  ${redact(l)}`);
  const hints: string[] = [];

  for (const m of problem.matchAll(/could not find module <([\w-]+)>/g)) {
    const pkg = MODULE_PACKAGE[m[1]!];
    hints.push(
      pkg
        ? `Kamailio module "${m[1]}" is not installed: apt-get install ${pkg} (npm start installs it when missing).`
        : `Kamailio has no module "${m[1]}": check its loadmodule line in the template (a misspelt name?), or install the Debian package that provides it.`,
    );
  }

  // The first line Kamailio names. Its parser reports the token after a mistake: when that
  // token opens the line, the mistake is most likely at the end of the line before.
  const at = /config file [^,]*, line (\d+), column (\d+)/.exec(problem);
  if (at) {
    const lineNo = Number(at[1]);
    const column = Number(at[2]);
    let rendered: string[] = [];
    let template: string[] = [];
    let partLine: TemplateOrigin[] = [];
    try {
      rendered = fs.readFileSync(cfgPath, 'utf8').split('\n');
      const joined = readKamailioTemplate(templateDir);
      template = joined.text.split('\n');
      partLine = joined.origin;
    } catch {
      /* both were just written and read; if not, no line hint */
    }
    const origin = alignToTemplate(template, rendered);
    const reported = rendered[lineNo - 1] ?? '';
    const opensLine = column <= reported.length - reported.trimStart().length + 1;
    let culprit = lineNo;
    if (opensLine) {
      for (let n = lineNo - 1; n >= 1; n--) {
        const l = rendered[n - 1]!.trim();
        if (l && !l.startsWith('#')) {
          culprit = n;
          break;
        }
      }
    }
    const settingHints: string[] = [];
    let literal = false;
    for (const n of culprit === lineNo ? [lineNo] : [culprit, lineNo]) {
      if (rendered[n - 1] === undefined) continue;
      out.push(`line ${n} of the rendered file${n === lineNo ? '' : ' (the likely culprit)'}: ${redact(rendered[n - 1]!.trim())}`);
      const t = origin[n - 1];
      if (t === null || t === undefined || !partLine[t]) continue;
      const tLine = template[t]!;
      out.push(`  from ${show(partLine[t].file)} line ${partLine[t].line}: ${tLine.trim()}`);
      if (n !== culprit) continue;
      const names = [...tLine.matchAll(/\{\{([A-Z0-9_]+)\}\}/g)].map((m) => m[1]!);
      if (names.length === 0) literal = true;
      for (const name of names) {
        const src = PLACEHOLDER_SOURCE[name];
        if (src?.key) {
          settingHints.push(
            `{{${name}}} is filled from ${src.key} (now ${JSON.stringify(config[src.key])})${src.what ? `, ${src.what}` : ''}: check that setting, then the template line around it.`,
          );
        } else {
          settingHints.push(`{{${name}}} is filled from ${src?.what ?? 'server/src/sip/render.ts'}.`);
        }
      }
    }
    hints.push(...new Set(settingHints));
    if (literal && hints.length === 0) {
      hints.push(`no setting fills that line: the mistake is in the template itself (git diff -- ${show(templateDir)}).`);
    }
  }
  if (hints.length === 0) hints.push(`the rendered file is ${show(cfgPath)}; run kamailio -c -f ${show(cfgPath)} to see every message.`);
  for (const h of hints) out.push(`hint: ${h}`);
  return out;
}

function main(): void {
  const { templateDir } = parseArgs(process.argv.slice(2));
  let config: ServerConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(EXIT_CONFIG, [err.message]);
    throw err;
  }
  let secret: string;
  try {
    secret = loadOrCreateSipSecret(config.SIP_SECRET_FILE);
  } catch (err) {
    fail(EXIT_CONFIG, [
      `Invalid configuration: SIP_SECRET_FILE: cannot read or create ${config.SIP_SECRET_FILE} (${(err as Error).message}).`,
    ]);
  }
  let rendered;
  try {
    rendered = renderSipConfig(config, secret, { templateDir });
  } catch (err) {
    fail(1, [`cannot render the SIP configuration from ${templateDir} into ${config.SIP_RUN_DIR}: ${(err as Error).message}`]);
  }
  const problem = checkKamailioConfig(rendered.kamailioCfg);
  if (problem) {
    fail(1, explainCheckFailure(problem, rendered.kamailioCfg, templateDir, config, secret));
  }
  const vars: Record<string, string | number> = {
    SIP_RUN_DIR: rendered.runDir,
    KAMAILIO_CFG: rendered.kamailioCfg,
    RTPENGINE_CONF: rendered.rtpengineConf,
    SIP_WS_URL: rendered.wsUrl,
    SIP_TLS: rendered.tls ? 'yes' : 'no',
    SIP_TRUNK_ADDR: config.SIP_TRUNK_ADDR,
    SIP_WS_ADDR: config.SIP_WS_ADDR,
    EVAPI_ADDR: config.EVAPI_ADDR,
    RTPENGINE_NG_ADDR: config.RTPENGINE_NG_ADDR,
    RTP_ADDR: config.RTP_ADDR,
    RTP_PORT_MIN: config.RTP_PORT_MIN,
    RTP_PORT_MAX: config.RTP_PORT_MAX,
    DTMF_LOG_ADDR: config.DTMF_LOG_ADDR,
  };
  process.stdout.write(
    Object.entries(vars)
      .map(([k, v]) => `${k}=${shq(v)}\n`)
      .join(''),
  );
}

main();
