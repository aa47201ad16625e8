/**
 * INVITE-to-180 at the seat, through Kamailio and the routing server, against
 * Kamailio ringing a fixed seat without the router, in the same run.
 *
 *   npm run bench:sip-latency -- [--calls 4000] [--block 500] [--warmup 200] [--rate 40]
 *                                [--children 4] [--no-wire] [--json] [--keep]
 *                                [--evapi-nodelay] [--sqlite-normal] [--smoke]
 *
 * The target (issue 9): the router adds at most 1 ms at p50 to INVITE → 180 over the
 * direct path. `npm run bench:sip-latency` measures it with the defaults and prints a
 * RESULT line; the JSON result goes to .run/bench/sip-latency-<time>.json.
 *
 * Checked on every run (a failed check exits with status 1): every call of both paths
 * reached 180, every router call is in the router's database and was offered to s01, no
 * direct call is. `--smoke` (npm test) runs 40 calls per path in blocks of 20.
 *
 * One stack (rtpengine, Kamailio rendered from sip-config/ plus the bench direct
 * route, the router as scripts/start.sh runs it). Seat s01 is registered to one SIPp
 * phone that answers every INVITE with 180 at once; the SIPp caller CANCELs on the
 * 180, so the seat is ready again before the next call. Calls are strictly one at a
 * time (-l 1) at `rate` per second.
 *
 *   router: INVITE sip:12348 → Kamailio (transaction, 182, evapi enqueue) → router
 *           (engine decision, SQLite commit) → evapi ring → Kamailio t_continue →
 *           rtpengine offer → seat → 180 back through Kamailio.
 *   direct: INVITE sip:benchdirect → Kamailio (transaction, 182, location lookup of
 *           s01) → rtpengine offer → seat → 180 back. Same branch and reply routes.
 *
 * Paths alternate in blocks of `block` calls (the order flips every round) so both see
 * the same machine. SIPp takes gettimeofday (µs) just before it sends the INVITE and
 * when it handles the 180. Warm-up blocks are not counted.
 *
 * With tshark installed (unless --no-wire) the run is also captured on lo: the same
 * calls timed by packet timestamps, without SIPp's own scheduling (about 1.1 ms between
 * its clock read and the INVITE leaving, the same for both paths), and split per hop
 * (Kamailio before the router, the router itself, Kamailio after it).
 *
 * What-ifs, each changing one thing in the stack, not in the product's files:
 *   --evapi-nodelay  Kamailio with TCP_NODELAY on the evapi connection (LD_PRELOAD shim, gcc),
 *                    the Kamailio-side alternative to the router's newline ACK (evapi-link.ts);
 *   --sqlite-normal  the router's SQLite with synchronous=NORMAL (no fsync per commit).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Checks, numberOption, SMOKE, writeResult } from './report.js';
import { WireCapture, tsharkAvailable, type WireCall } from './sip/wire.js';
import { SQLITE_NORMAL_PRELOAD, buildNodelayShim, machineCpu, machineLine, pct } from './sip/machine.js';
import { SCENARIOS, freePort, sippAddresses, sleep, startBenchStack, stopProcess, tail } from './sip/stack.js';

const argv = process.argv.slice(2);
const opt = (k: string, d: number) => numberOption('sip-latency', k, d);
const CALLS = opt('calls', SMOKE ? 40 : 4000);
const BLOCK = opt('block', SMOKE ? 20 : 500);
const WARMUP = opt('warmup', SMOKE ? 10 : 200);
const RATE = opt('rate', 40);
const CHILDREN = opt('children', 4);
const JSON_OUT = argv.includes('--json');
const KEEP = argv.includes('--keep');
const DIRECT = 'benchdirect';
/** Kamailio with TCP_NODELAY on accepted TCP sockets (LD_PRELOAD shim; needs gcc). */
const EVAPI_NODELAY = argv.includes('--evapi-nodelay');
/** What-if: the router's SQLite with synchronous=NORMAL instead of FULL (no fsync per commit). */
const SQLITE_NORMAL = argv.includes('--sqlite-normal');
/** Packet capture on lo (tshark) for wire-level times and the per-hop breakdown; on when tshark is installed. */
const WIRE = !argv.includes('--no-wire') && tsharkAvailable();

const log = (s: string) => process.stderr.write(`${s}\n`);

interface Sample {
  callId: string;
  invite182: number | null;
  invite180: number;
}

function parseLog(file: string): Sample[] {
  if (!fs.existsSync(file)) return [];
  const out: Sample[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.trim().split(';');
    if (f.length < 8) continue;
    const t = (s: string, u: string) => Number(s) + Number(u) / 1e6;
    const t0 = t(f[2]!, f[3]!);
    const t182 = Number(f[4]) > 0 ? t(f[4]!, f[5]!) : null;
    const t180 = t(f[6]!, f[7]!);
    out.push({ callId: f[1]!, invite182: t182 === null ? null : (t182 - t0) * 1000, invite180: (t180 - t0) * 1000 });
  }
  return out;
}

async function main() {
  const shimDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-shim-'));
  const stack = await startBenchStack({
    kamailioEnv: EVAPI_NODELAY ? { LD_PRELOAD: buildNodelayShim(shimDir) } : undefined,
    routerNodeArgs: SQLITE_NORMAL ? ['--import', SQLITE_NORMAL_PRELOAD] : [],
    routing: (cfg) => ({
      ...cfg,
      wrapUp: { ...cfg.wrapUp, seconds: 0 },
      serviceCalendar: { periods: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', plannedSeats: 1 }], holidays: [] },
    }),
    kamailioChildren: CHILDREN,
    directRoute: { number: DIRECT, seat: 's01' },
    keep: KEEP,
    log,
  });
  let seatPhone: ReturnType<typeof stack.sipp> | null = null;
  try {
    const seatIp = '127.0.0.2';
    const seatPort = await freePort(seatIp);
    seatPhone = stack.sipp(['-sf', path.join(SCENARIOS, 'latency-seat.xml'), ...(await sippAddresses(seatIp, seatPort)), '-nd'], {
      log: path.join(stack.dir, 'seat-phone.log'),
    });
    await sleep(300);
    if (seatPhone.exitCode !== null) throw new Error(`seat phone exited: ${tail(path.join(stack.dir, 'seat-phone.log'))}`);
    await stack.seatsReady(['s01'], `${seatIp}:${seatPort}`);
    log(`s01 registered at ${seatIp}:${seatPort} and ready`);
    const wire = WIRE
      ? new WireCapture(path.join(stack.dir, 'wire.pcapng'), {
          trunk: stack.trunk.port,
          seat: seatPort,
          evapi: Number(stack.env.EVAPI_ADDR!.split(':')[1]),
        })
      : null;
    await wire?.start();

    const samples: Record<'router' | 'direct', Sample[]> = { router: [], direct: [] };
    const failures: Record<'router' | 'direct', number> = { router: 0, direct: 0 };
    /** Calls sent on each path, warm-up included, and how many of them reached 180. */
    const sent: Record<'router' | 'direct', number> = { router: 0, direct: 0 };
    const reached180: Record<'router' | 'direct', number> = { router: 0, direct: 0 };
    let blockNo = 0;
    const runBlock = async (which: 'router' | 'direct', n: number, count: boolean) => {
      blockNo++;
      const logFile = path.join(stack.dir, `caller-${blockNo}-${which}.log`);
      const errFile = path.join(stack.dir, `caller-${blockNo}-${which}-errors.log`);
      const p = stack.sipp(
        [
          `${stack.trunk.host}:${stack.trunk.port}`,
          '-sf',
          path.join(SCENARIOS, 'latency-caller.xml'),
          '-s',
          which === 'router' ? '12348' : DIRECT,
          ...(await sippAddresses('127.0.0.1')),
          '-m',
          String(n),
          '-r',
          String(RATE),
          '-l',
          '1',
          '-recv_timeout',
          '5000',
          '-trace_logs',
          '-log_file',
          logFile,
          '-trace_err',
          '-error_file',
          errFile,
        ],
        { log: path.join(stack.dir, `caller-${blockNo}-${which}.out`) },
      );
      const code = await new Promise<number | null>((resolve) => p.once('exit', (c) => resolve(c)));
      const got = parseLog(logFile);
      const failed = n - got.length;
      sent[which] += n;
      reached180[which] += got.length;
      if (code !== 0 || failed > 0) {
        log(`  block ${blockNo} (${which}): SIPp exit ${code}, ${got.length}/${n} calls reached 180 — ${tail(errFile, 5)}`);
      }
      if (count) {
        samples[which].push(...got);
        failures[which] += failed;
      }
      log(
        `  block ${blockNo} ${which.padEnd(6)} ${count ? '' : '(warm-up) '}${got.length} calls, p50 ${pct(
          got.map((s) => s.invite180).sort((a, b) => a - b),
          50,
        ).toFixed(3)} ms`,
      );
    };

    const cpu0 = machineCpu();
    const wall0 = Date.now();
    const load0 = os.loadavg();
    if (WARMUP > 0) {
      await runBlock('router', WARMUP, false);
      await runBlock('direct', WARMUP, false);
    }
    const rounds = Math.ceil(CALLS / BLOCK);
    for (let r = 0; r < rounds; r++) {
      const n = Math.min(BLOCK, CALLS - r * BLOCK);
      const order: ('router' | 'direct')[] = r % 2 === 0 ? ['router', 'direct'] : ['direct', 'router'];
      for (const which of order) await runBlock(which, n, true);
    }
    await wire?.stop();
    const cpu1 = machineCpu();
    const wallS = (Date.now() - wall0) / 1000;
    const machineBusy = (100 * (cpu1.busy - cpu0.busy)) / (cpu1.total - cpu0.total);

    // Every router call must be in the router's database; no direct call may be.
    await sleep(500);
    const db = new Database(stack.env.DB_PATH, { readonly: true });
    const stored = db.prepare("SELECT state_kind AS kind, COUNT(*) AS n FROM calls WHERE dialed = '12348' GROUP BY state_kind").all() as {
      kind: string;
      n: number;
    }[];
    const directStored = (db.prepare('SELECT COUNT(*) AS n FROM calls WHERE dialed = ?').get(DIRECT) as { n: number }).n;
    const offeredToS01 = (
      db
        .prepare(
          "SELECT COUNT(DISTINCT call_id) AS n FROM call_events WHERE type = 'offered' AND json_extract(data_json, '$.seatId') = 's01'",
        )
        .get() as { n: number }
    ).n;
    db.close();

    const stats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return {
        n: s.length,
        p50: pct(s, 50),
        p90: pct(s, 90),
        p99: pct(s, 99),
        max: s.at(-1) ?? NaN,
        mean: s.reduce((a, b) => a + b, 0) / s.length,
      };
    };
    // Wire times: the same calls, stamped by the kernel as the packets pass lo.
    const wireCalls = wire?.read() ?? new Map<string, WireCall>();
    const seg = (which: 'router' | 'direct', from: keyof WireCall, to: keyof WireCall) =>
      stats(
        samples[which].flatMap((x) => {
          const w = wireCalls.get(x.callId);
          const a = w?.[from];
          const b = w?.[to];
          return a !== undefined && b !== undefined ? [(b - a) * 1000] : [];
        }),
      );
    const wireResult = WIRE
      ? {
          router: {
            total: seg('router', 'inviteIn', 'r180Out'),
            inviteTo182: seg('router', 'inviteIn', 'r182Out'),
            inviteToEnqueue: seg('router', 'inviteIn', 'enqueue'),
            enqueueToRing: seg('router', 'enqueue', 'ring'),
            ringToSeatInvite: seg('router', 'ring', 'inviteSeat'),
            inviteToSeatInvite: seg('router', 'inviteIn', 'inviteSeat'),
            seatInviteTo180: seg('router', 'inviteSeat', 'r180Seat'),
            seat180To180Out: seg('router', 'r180Seat', 'r180Out'),
          },
          direct: {
            total: seg('direct', 'inviteIn', 'r180Out'),
            inviteTo182: seg('direct', 'inviteIn', 'r182Out'),
            inviteToSeatInvite: seg('direct', 'inviteIn', 'inviteSeat'),
            seatInviteTo180: seg('direct', 'inviteSeat', 'r180Seat'),
            seat180To180Out: seg('direct', 'r180Seat', 'r180Out'),
          },
        }
      : null;
    const result = {
      machine: machineLine(),
      settings: {
        calls: CALLS,
        block: BLOCK,
        warmup: WARMUP,
        rate: RATE,
        kamailioChildren: CHILDREN,
        evapiNodelay: EVAPI_NODELAY,
        sqliteNormal: SQLITE_NORMAL,
      },
      wallS,
      machineBusyPct: machineBusy,
      loadavgBefore: load0,
      loadavgAfter: os.loadavg(),
      router180: stats(samples.router.map((s) => s.invite180)),
      direct180: stats(samples.direct.map((s) => s.invite180)),
      router182: stats(samples.router.flatMap((s) => (s.invite182 === null ? [] : [s.invite182]))),
      direct182: stats(samples.direct.flatMap((s) => (s.invite182 === null ? [] : [s.invite182]))),
      failures,
      wire: wireResult,
      routerDb: { byState: stored, offeredToS01, directCallsStored: directStored },
      /** Router − direct at p50 (SIPp clock; on the wire when captured), the figure the 1 ms target is about. */
      routerAddsP50Ms: { sipp: NaN, wire: wireResult ? wireResult.router.total.p50 - wireResult.direct.total.p50 : null },
    };
    result.routerAddsP50Ms.sipp = result.router180.p50 - result.direct180.p50;
    const storedTotal = stored.reduce((a, x) => a + x.n, 0);
    const checks = new Checks();
    checks.equal('router calls that reached 180', reached180.router, sent.router);
    checks.equal('direct calls that reached 180', reached180.direct, sent.direct);
    checks.equal('router calls counted', result.router180.n, CALLS);
    checks.equal('direct calls counted', result.direct180.n, CALLS);
    checks.equal('router calls in the router database', storedTotal, sent.router);
    checks.equal('router calls offered to s01', offeredToS01, sent.router);
    checks.equal('direct calls in the router database', directStored, 0);
    const file = writeResult('sip-latency', { ...result, smoke: SMOKE, checks: checks.all });
    const verdict = (v: number) => `${v <= 1 ? 'met' : 'NOT met'}`;
    const resultLine =
      `RESULT sip-latency: router adds ${result.routerAddsP50Ms.sipp.toFixed(3)} ms at p50 to INVITE → 180 (SIPp; router ${result.router180.p50.toFixed(3)} − direct ${result.direct180.p50.toFixed(3)} ms, ${CALLS} calls per path)` +
      (result.routerAddsP50Ms.wire !== null ? `, ${result.routerAddsP50Ms.wire.toFixed(3)} ms on the wire` : '') +
      ` — target ≤ 1 ms: ${verdict(result.routerAddsP50Ms.sipp)}${SMOKE ? ' (smoke size: not a measurement)' : ''}`;
    if (JSON_OUT) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const f = (v: number) => v.toFixed(3);
      const row = (name: string, s: ReturnType<typeof stats>) =>
        `| ${name} | ${s.n} | ${f(s.p50)} | ${f(s.p90)} | ${f(s.p99)} | ${f(s.max)} | ${f(s.mean)} |`;
      const r = result.router180;
      const d = result.direct180;
      process.stdout.write(
        [
          `${result.machine}`,
          `${CALLS} calls per path, blocks of ${BLOCK}, ${RATE} calls/s one at a time, Kamailio children ${CHILDREN}${EVAPI_NODELAY ? ', evapi with TCP_NODELAY (shim)' : ''}${SQLITE_NORMAL ? ', router SQLite synchronous=NORMAL (what-if)' : ''}; ${wallS.toFixed(0)} s, machine CPU busy ${machineBusy.toFixed(0)} %`,
          '',
          '| INVITE → 180 (ms) | n | p50 | p90 | p99 | max | mean |',
          '|---|---:|---:|---:|---:|---:|---:|',
          row('through the router', r),
          row('direct (no router)', d),
          '',
          `difference router − direct: p50 ${f(r.p50 - d.p50)} ms, p90 ${f(r.p90 - d.p90)} ms, p99 ${f(r.p99 - d.p99)} ms; ratio p50 ×${(r.p50 / d.p50).toFixed(2)}, p99 ×${(r.p99 / d.p99).toFixed(2)}`,
          '',
          '| INVITE → 182 (ms) | n | p50 | p90 | p99 | max | mean |',
          '|---|---:|---:|---:|---:|---:|---:|',
          row('router path', result.router182),
          row('direct path', result.direct182),
          '',
          ...(wireResult
            ? [
                'On the wire (packet times on lo; the same calls):',
                '',
                '| INVITE in → 180 out (ms) | n | p50 | p90 | p99 | max | mean |',
                '|---|---:|---:|---:|---:|---:|---:|',
                row('through the router', wireResult.router.total),
                row('direct (no router)', wireResult.direct.total),
                '',
                `difference router − direct on the wire: p50 ${f(wireResult.router.total.p50 - wireResult.direct.total.p50)} ms, p90 ${f(wireResult.router.total.p90 - wireResult.direct.total.p90)} ms, p99 ${f(wireResult.router.total.p99 - wireResult.direct.total.p99)} ms`,
                '',
                '| hop (ms) | n | p50 | p90 | p99 | max | mean |',
                '|---|---:|---:|---:|---:|---:|---:|',
                row('router: INVITE in → enqueue event sent (Kamailio)', wireResult.router.inviteToEnqueue),
                row('router: enqueue → ring command (routing server)', wireResult.router.enqueueToRing),
                row('router: ring → INVITE to seat (Kamailio, rtpengine offer)', wireResult.router.ringToSeatInvite),
                row('router: INVITE in → INVITE to seat', wireResult.router.inviteToSeatInvite),
                row('direct: INVITE in → INVITE to seat (Kamailio, rtpengine offer)', wireResult.direct.inviteToSeatInvite),
                row('router: seat INVITE → seat 180 (SIPp phone)', wireResult.router.seatInviteTo180),
                row('direct: seat INVITE → seat 180 (SIPp phone)', wireResult.direct.seatInviteTo180),
                row('router: seat 180 → 180 out (Kamailio)', wireResult.router.seat180To180Out),
                row('direct: seat 180 → 180 out (Kamailio)', wireResult.direct.seat180To180Out),
                row('router: INVITE in → 182 out', wireResult.router.inviteTo182),
                row('direct: INVITE in → 182 out', wireResult.direct.inviteTo182),
                '',
              ]
            : []),
          `calls that did not reach 180: router ${failures.router}, direct ${failures.direct}`,
          `router database: ${stored.map((s) => `${s.kind} ${s.n}`).join(', ')}; offered to s01: ${offeredToS01}; direct calls stored: ${directStored}`,
          '',
          resultLine,
          `result written to ${file}`,
          '',
        ].join('\n'),
      );
    }
    if (JSON_OUT) log(`${resultLine}\nresult written to ${file}`);
    checks.finish('sip-latency.bench');
  } finally {
    await stopProcess(seatPhone);
    await stack.stop();
    fs.rmSync(shimDir, { recursive: true, force: true });
    if (KEEP) log(`kept ${stack.dir}`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
