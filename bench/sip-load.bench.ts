/**
 * Sustained load through the whole telephony path: SIPp trunk callers → Kamailio
 * (queue: suspended transaction, 182) ⇄ routing server over evapi (engine decision,
 * SQLite commits) → Kamailio rings the chosen seat (rtpengine offer/answer) → the seat
 * answers → ACK → short talk → BYE (rtpengine delete, router records the hang-up,
 * zero-second wrap-up) → the seat's console files the call's summary over HTTP (the
 * summary gate, wrapUp.requireSummary, holds the seat in wrap-up until then) → the seat
 * is ready again.
 *
 *   npm run bench:sip-load -- [--rate 200] [--duration 300] [--seats 2×rate] [--talk-ms 1000]
 *                             [--ring-ms 0] [--media-rate 2] [--children 4] [--consoles 1]
 *                             [--supervisors 1] [--kamailio-shm 256] [--log-level info] [--cpu-prof]
 *                             [--evapi-nodelay] [--no-summaries] [--json] [--keep] [--smoke]
 *
 * The target (issue 9): `npm run bench:sip-load -- --rate 400 --duration 120` completes with
 * under 0.1 % of its calls failed. The run prints a RESULT line and writes its JSON result to
 * .run/bench/sip-load-<time>.json.
 *
 * Checked on every run (a failed check exits with status 1): no summary refused, every
 * answered call's summary on file, no seat left in wrap-up, every answered call with its
 * offered/answered/hung-up events, SIPp's completed calls all answered in the router's
 * database. A smoke run (`--smoke`: 20 calls/s for 5 s, 40 seats, npm test) must also have no
 * failed call and exactly one answered call in the database per completed SIPp call. Failed
 * calls of a measurement are its result, not a failed check.
 *
 * Every bench seat (b0001…, 综合咨询 at proficiency 5, city centre) has an account and
 * a session written into the database before the router starts; each seat's console
 * connects over Socket.IO and goes ready, as a lawyer's browser would; each seat gets
 * SIP credentials from GET /api/sip/credentials and registers its AOR with a digest
 * REGISTER pointing at one SIPp process that answers for every seat. After each call the
 * seat's console POSTs a complete summary (bench/sip/summaries.ts). `--no-summaries` is a
 * what-if (the summary gate off in the routing config, no summaries filed), not the product;
 * `--consoles 0` implies it (without a console the seat does not hear its wrap-up).
 *
 * Every call's SDP goes through rtpengine (offer on the seat branch, answer on the 200,
 * delete on the BYE). The load callers send no RTP. `--media-rate` calls per second on
 * the side play G.711 audio (SIPp play_pcap_audio) through the same queue; the seat phone
 * echoes RTP (-rtp_echo), and rtpengine's counters show the packets it relayed.
 *
 * Reported: calls attempted / answered / failed (SIPp and the router's database), the
 * rate achieved, CPU seconds of each process (from /proc) and per Kamailio role,
 * INVITE → 180 and INVITE → 200 (answer) delay percentiles, per 30 s window too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ngCommand } from '../tests/support/rtpengine-ng.js';
import { Checks, numberOption, SMOKE, writeResult } from './report.js';
import { keepProfiles } from './sip/cpuprofile-summary.js';
import { SummaryFiler } from './sip/summaries.js';
import {
  answerWindows,
  dist,
  grepCount,
  parseCallLog,
  render,
  routerDbCounts,
  rtpengineDelta,
  sippTotals,
  sorted,
} from './sip/load-results.js';
import { buildNodelayShim, childPids, cpuSampler, kamailioCpu, machineCpu, machineLine } from './sip/machine.js';
import { connectSupervisors } from './sip/consoles.js';
import { freePort, sippAddresses, sleep, startBenchStack, stopProcess, tail } from './sip/stack.js';

const argv = process.argv.slice(2);
const opt = (k: string, d: number) => numberOption('sip-load', k, d);
const RATE = opt('rate', SMOKE ? 20 : 200);
const DURATION_S = opt('duration', SMOKE ? 5 : 300);
/** Each seat takes about one call a second (1 s talk, then the summary), so twice the rate leaves headroom. */
const SEATS = opt('seats', Math.max(2, Math.ceil(2 * RATE)));
const TALK_MS = opt('talk-ms', 1000);
const RING_MS = opt('ring-ms', 0);
const MEDIA_RATE = opt('media-rate', SMOKE ? 1 : 2);
const MEDIA_TALK_MS = 2000;
const CHILDREN = opt('children', 4);
/** Kamailio shared memory in MB (-m); scripts/start.sh gives it 256 (Kamailio's own default is 64). */
const SHM_MB = opt('kamailio-shm', 256);
const CONSOLES = opt('consoles', 1) > 0;
/** What-if: the summary gate off and no summaries filed (forced without consoles). */
const SUMMARIES = CONSOLES && !argv.includes('--no-summaries');
const SUPERVISORS = opt('supervisors', 1);
const LOG_LEVEL = argv.includes('--log-level') ? argv[argv.indexOf('--log-level') + 1]! : 'info';
const CPU_PROF = argv.includes('--cpu-prof');
/** Kamailio with TCP_NODELAY on accepted TCP sockets (LD_PRELOAD shim; needs gcc): evapi without Nagle. */
const EVAPI_NODELAY = argv.includes('--evapi-nodelay');
const JSON_OUT = argv.includes('--json');
const KEEP = argv.includes('--keep') || CPU_PROF;
const SAMPLE_S = 5;
const WINDOW_S = 30;

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main() {
  const profDir = path.join(os.tmpdir(), `hotline-bench-prof-${process.pid}`);
  const shimDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-shim-'));
  const stack = await startBenchStack({
    kamailioEnv: EVAPI_NODELAY ? { LD_PRELOAD: buildNodelayShim(shimDir) } : undefined,
    benchSeats: SEATS,
    kamailioChildren: CHILDREN,
    kamailioShmMb: SHM_MB,
    env: { LOG_LEVEL, ...(CONSOLES ? {} : { SEAT_DISCONNECT_GRACE_S: '0' }) },
    routing: (cfg) => ({
      ...cfg,
      ringTimeoutS: 10,
      wrapUp: { ...cfg.wrapUp, seconds: 0, ...(SUMMARIES ? {} : { requireSummary: false }) },
      serviceCalendar: { periods: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', plannedSeats: SEATS }], holidays: [] },
    }),
    routerNodeArgs: [...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])],
    keep: KEEP,
    log,
  });
  const routerStartedAt = Date.now();
  const summaryFiler = new SummaryFiler(stack.routerUrl);
  let loadStartedAt = routerStartedAt;
  const procs: ReturnType<typeof stack.sipp>[] = [];
  try {
    // ---------------------------------------------------------------- seats
    const seatIp = '127.0.0.2';
    const seatPort = await freePort(seatIp);
    const seatPhone = stack.sipp(
      [
        '-sf',
        render('load-seat.xml', path.join(stack.dir, 'load-seat.xml'), { ring: RING_MS > 0 ? `<pause milliseconds="${RING_MS}" />` : '' }),
        ...(await sippAddresses(seatIp, seatPort)),
        '-rtp_echo',
        '-trace_err',
        '-error_file',
        path.join(stack.dir, 'seat-phone-errors.log'),
      ],
      { log: path.join(stack.dir, 'seat-phone.out') },
    );
    procs.push(seatPhone);
    await sleep(300);
    if (seatPhone.exitCode !== null) throw new Error(`seat phone exited: ${tail(path.join(stack.dir, 'seat-phone.out'))}`);
    const t0 = Date.now();
    const benchSeats = await stack.seatsReady(stack.benchSeatIds, `${seatIp}:${seatPort}`, { concurrency: 16, keepConsoles: CONSOLES });
    log(
      `${SEATS} seats registered at ${seatIp}:${seatPort} and ready in ${((Date.now() - t0) / 1000).toFixed(1)} s${CONSOLES ? ', consoles connected' : ''}`,
    );
    if (SUMMARIES) for (const seat of benchSeats) summaryFiler.watch(seat);
    else log('what-if: the summary gate is off and the seats file no summaries (not the product)');
    // Registrations last 900 s (Kamailio's max_expires): long runs refresh them.
    const refresh = setInterval(() => {
      stack.reregister(stack.benchSeatIds, `${seatIp}:${seatPort}`, 900).catch((err) => log(`re-REGISTER failed: ${String(err)}`));
    }, 600_000);
    refresh.unref();
    let snapshots = 0;
    const supervisorSockets = await connectSupervisors(stack.routerUrl, stack.cookies.get('supervisor')!, SUPERVISORS, () => snapshots++);

    // ---------------------------------------------------------------- CPU sampling
    const roles = new Map(stack.kamailioProcesses().map((p) => [p.pid, p.role]));
    const kamPids = [stack.procs.kamailio.pid!, ...childPids(stack.procs.kamailio.pid!)];
    const named = (): Record<string, number[]> => ({
      router: [stack.procs.router.pid!],
      kamailio: kamPids,
      rtpengine: [stack.procs.rtpengine.pid!],
      'sipp callers': procs.slice(1).map((p) => p.pid!),
      'sipp seat phone': [seatPhone.pid!],
    });
    const sampleCpu = cpuSampler(named, kamPids);

    // ---------------------------------------------------------------- load
    const calls = Math.round(RATE * DURATION_S);
    const callLog = path.join(stack.dir, 'load-calls.log');
    const statFile = path.join(stack.dir, 'load-stat.csv');
    const callerOut = path.join(stack.dir, 'load-caller.out');
    const rtpBefore = await ngCommand(stack.env.RTPENGINE_NG_ADDR!, { command: 'statistics' }).catch(() => null);
    const cpu0 = sampleCpu();
    const m0 = machineCpu();
    const wall0 = Date.now();
    loadStartedAt = wall0;
    const timeline: { t: number; cpu: Record<string, number>; machine: { busy: number; total: number } }[] = [
      { t: 0, cpu: cpu0, machine: m0 },
    ];
    const shm: { t: number; realUsedMb: number; maxUsedMb: number; fragments: number }[] = [];
    const sampleShm = (t: number) => {
      const m = stack.kamailioShm();
      if (m) shm.push({ t, realUsedMb: m.realUsed / 2 ** 20, maxUsedMb: m.maxUsed / 2 ** 20, fragments: m.fragments });
    };
    const shmTotalMb = (stack.kamailioShm()?.total ?? NaN) / 2 ** 20;
    sampleShm(0);
    const caller = stack.sipp(
      [
        `${stack.trunk.host}:${stack.trunk.port}`,
        '-sf',
        render('load-caller.xml', path.join(stack.dir, 'load-caller.xml'), { media: '' }, TALK_MS),
        '-s',
        '12348',
        ...(await sippAddresses('127.0.0.1')),
        '-d',
        String(TALK_MS),
        '-m',
        String(calls),
        '-r',
        String(RATE),
        '-rp',
        '1000',
        '-l',
        String(Math.max(1000, RATE * 20)),
        '-recv_timeout',
        '15000',
        '-max_recv_loops',
        '10000',
        '-max_sched_loops',
        '10000',
        '-trace_logs',
        '-log_file',
        callLog,
        '-trace_stat',
        '-stf',
        statFile,
        '-fd',
        String(SAMPLE_S),
        '-trace_err',
        '-error_file',
        path.join(stack.dir, 'load-caller-errors.log'),
      ],
      { log: callerOut },
    );
    procs.push(caller);
    let media: ReturnType<typeof stack.sipp> | null = null;
    const mediaCalls = Math.round(MEDIA_RATE * DURATION_S);
    const mediaLog = path.join(stack.dir, 'media-calls.log');
    const mediaOut = path.join(stack.dir, 'media-caller.out');
    if (mediaCalls > 0) {
      media = stack.sipp(
        [
          `${stack.trunk.host}:${stack.trunk.port}`,
          '-sf',
          render(
            'load-caller.xml',
            path.join(stack.dir, 'media-caller.xml'),
            {
              media: '  <nop>\n    <action>\n      <exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap" />\n    </action>\n  </nop>',
            },
            MEDIA_TALK_MS,
          ),
          '-s',
          '12348',
          ...(await sippAddresses('127.0.0.1')),
          '-d',
          String(MEDIA_TALK_MS),
          '-m',
          String(mediaCalls),
          '-r',
          String(MEDIA_RATE),
          '-recv_timeout',
          '15000',
          '-trace_logs',
          '-log_file',
          mediaLog,
          '-trace_err',
          '-error_file',
          path.join(stack.dir, 'media-caller-errors.log'),
        ],
        { log: mediaOut },
      );
      procs.push(media);
    }
    log(
      `load: ${calls} calls at ${RATE}/s (talk ${TALK_MS} ms)${mediaCalls ? ` + ${mediaCalls} calls with audio at ${MEDIA_RATE}/s` : ''}`,
    );
    const done = Promise.all(
      procs
        .slice(1)
        .map(
          (p) => new Promise<number | null>((resolve) => (p.exitCode !== null ? resolve(p.exitCode) : p.once('exit', (c) => resolve(c)))),
        ),
    );
    let finished = false;
    void done.then(() => (finished = true));
    let lastPrint = 0;
    while (!finished) {
      await sleep(1000);
      const t = (Date.now() - wall0) / 1000;
      timeline.push({ t, cpu: sampleCpu(), machine: machineCpu() });
      if (timeline.length % 5 === 0) sampleShm(t);
      if (t - lastPrint >= 30 && timeline.length > 30) {
        lastPrint = t;
        const a = timeline.at(-31)!;
        const b = timeline.at(-1)!;
        const dt = b.t - a.t;
        const share = (k: string) => (((b.cpu[k] ?? 0) - (a.cpu[k] ?? 0)) / dt) * 100;
        const answered = fs.existsSync(callLog) ? fs.readFileSync(callLog, 'utf8').split('\n').length - 1 : 0;
        log(
          `  t=${t.toFixed(0)} s answered ${answered}; CPU router ${share('router').toFixed(0)} %, kamailio ${share('kamailio').toFixed(0)} %, rtpengine ${share('rtpengine').toFixed(0)} %, sipp ${(share('sipp callers') + share('sipp seat phone')).toFixed(0)} %, bench ${share('bench (consoles, supervisor)').toFixed(0)} %, machine ${((100 * (b.machine.busy - a.machine.busy)) / (b.machine.total - a.machine.total)).toFixed(0)} %, Kamailio shm ${shm.at(-1)?.realUsedMb.toFixed(0) ?? '?'} MB of ${shmTotalMb.toFixed(0)}`,
        );
      }
    }
    const exitCodes = await done;
    const wallS = (Date.now() - wall0) / 1000;
    const cpu1 = sampleCpu();
    const m1 = machineCpu();
    timeline.push({ t: wallS, cpu: cpu1, machine: m1 });
    await sleep(1500); // the router records the last hang-ups and wrap-ups
    // ... and the seats file the last summaries: wait (up to 15 s) until none is in wrap-up.
    const benchIds = new Set(stack.benchSeatIds);
    let inWrapUp: string[] = [];
    for (const until = Date.now() + 15_000; ; await sleep(250)) {
      inWrapUp = (await stack.seats()).filter((x) => benchIds.has(x.id) && x.state.kind === 'wrap-up').map((x) => x.id);
      if ((inWrapUp.length === 0 && summaryFiler.counts.inFlight === 0) || Date.now() > until) break;
    }
    sampleShm((Date.now() - wall0) / 1000);
    const rtpAfter = await ngCommand(stack.env.RTPENGINE_NG_ADDR!, { command: 'statistics' }).catch(() => null);

    // ---------------------------------------------------------------- results
    const sipp = sippTotals(callerOut);
    const mediaSipp = media ? sippTotals(mediaOut) : null;
    const answered = parseCallLog(callLog);
    const firstInvite = Math.min(...answered.map((a) => a.t0));
    const lastInvite = Math.max(...answered.map((a) => a.t0));
    const answerMs = sorted(answered.map((a) => (a.t200 - a.t0) * 1000));
    const ringMs = sorted(answered.flatMap((a) => (a.t180 === null ? [] : [(a.t180 - a.t0) * 1000])));
    const windows = answerWindows(answered, WINDOW_S, RATE * WINDOW_S * 0.5);
    const cpu = Object.fromEntries(
      Object.keys(cpu1)
        .filter((k) => !k.startsWith('kamailio:'))
        .map((k) => [k, { seconds: (cpu1[k] ?? 0) - (cpu0[k] ?? 0), pctOfOneCore: (((cpu1[k] ?? 0) - (cpu0[k] ?? 0)) / wallS) * 100 }]),
    );
    const { byRole: kamRoles, busiest: kamBusiest } = kamailioCpu(kamPids, roles, cpu0, cpu1, wallS);
    const machineBusyPct = (100 * (m1.busy - m0.busy)) / (m1.total - m0.total);

    const routerDb = routerDbCounts(stack.env.DB_PATH!, wall0 - 5000);
    const problems = {
      routerWarnOrError: grepCount(stack.logs.router, /"level":(4|5|6)0/),
      kamailioErrors: grepCount(stack.logs.kamailio, /ERROR|CRITICAL/),
      rtpengineErrors: grepCount(stack.logs.rtpengine, /\[(err|crit|alert|emerg)\]|ERR|error/i),
      callerErrorLines: grepCount(path.join(stack.dir, 'load-caller-errors.log'), /./),
    };
    const rtpDelta = rtpengineDelta(rtpBefore, rtpAfter);
    const result = {
      machine: machineLine(),
      settings: {
        kamailioShmMb: SHM_MB,
        rate: RATE,
        durationS: DURATION_S,
        seats: SEATS,
        talkMs: TALK_MS,
        ringMs: RING_MS,
        mediaRate: MEDIA_RATE,
        kamailioChildren: CHILDREN,
        consoles: CONSOLES,
        supervisors: SUPERVISORS,
        logLevel: LOG_LEVEL,
        cpuProf: CPU_PROF,
        evapiNodelay: EVAPI_NODELAY,
      },
      wallS,
      sipp,
      sippExitCodes: exitCodes,
      answeredLogged: answered.length,
      achievedRate: (answered.length - 1) / (lastInvite - firstInvite),
      answerDelayMs: dist(answerMs),
      inviteTo180Ms: dist(ringMs),
      windows,
      media: mediaSipp ? { ...mediaSipp, answered: parseCallLog(mediaLog).length } : null,
      cpu,
      kamailioByRole: kamRoles,
      kamailioShm: { totalMb: shmTotalMb, peakMb: Math.max(...shm.map((x) => x.maxUsedMb)), samples: shm },
      kamailioBusiest: kamBusiest,
      machineBusyPct,
      loadavg: os.loadavg(),
      routerDb,
      summaries: {
        filedBySeats: SUMMARIES,
        ...summaryFiler.counts,
        latencyMs: dist(sorted(summaryFiler.counts.latencyMs)),
        seatsLeftInWrapUp: inWrapUp,
      },
      snapshotsReceived: snapshots,
      problems,
      rtpengine: rtpDelta,
      dir: KEEP ? stack.dir : null,
    };
    const checks = new Checks();
    const completed = sipp.successful + (mediaSipp?.successful ?? 0);
    if (SUMMARIES) {
      checks.equal('summaries refused by the router', summaryFiler.counts.refused, 0);
      checks.equal('summaries filed by the seats, on file in the router', routerDb.summaries, summaryFiler.counts.filed);
      checks.equal('answered calls with their summary on file', routerDb.summaries, routerDb.answered);
    }
    checks.expect(
      'seats left in wrap-up',
      inWrapUp.length === 0,
      `${inWrapUp.length}${inWrapUp.length ? ` (${inWrapUp.slice(0, 5).join(', ')})` : ''}`,
    );
    checks.equal('answered calls with offered, answered and hung-up events', routerDb.offeredAnsweredHungUp, routerDb.answered);
    checks.expect(
      'calls SIPp completed (load + audio) all answered in the router',
      completed <= routerDb.answered,
      `${completed} completed, ${routerDb.answered} answered`,
    );
    checks.expect(
      'SIPp call counters read',
      Number.isFinite(sipp.created) && Number.isFinite(sipp.failed),
      `created ${sipp.created}, failed ${sipp.failed}`,
    );
    if (SMOKE) {
      checks.equal('smoke: load calls completed', sipp.successful, Math.round(RATE * DURATION_S));
      checks.equal('smoke: load calls failed', sipp.failed, 0);
      checks.equal('smoke: calls with audio completed', mediaSipp?.successful ?? 0, Math.round(MEDIA_RATE * DURATION_S));
      checks.equal('smoke: calls answered in the router (load + audio)', routerDb.answered, completed);
    }
    const failedPct = (100 * sipp.failed) / sipp.created;
    const file = writeResult('sip-load', { ...result, smoke: SMOKE, failedPct, checks: checks.all });
    const resultLine =
      `RESULT sip-load: ${RATE} calls/s for ${DURATION_S} s, ${SEATS} seats${SUMMARIES ? ', summaries filed' : ', NO summaries (what-if)'}: ` +
      `${sipp.created} attempted, ${sipp.successful} completed, ${sipp.failed} failed (${Number.isFinite(failedPct) ? failedPct.toFixed(3) : 'n/a'} %), ` +
      `answer p50 ${result.answerDelayMs.p50.toFixed(2)} ms p99 ${result.answerDelayMs.p99.toFixed(2)} ms — target < 0.1 % failed: ${failedPct < 0.1 ? 'met' : 'NOT met'}` +
      `${SMOKE ? ' (smoke size: not a measurement)' : RATE !== 400 || DURATION_S < 120 ? ' (the target is 400 calls/s for 120 s)' : ''}`;
    if (JSON_OUT) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      log(`${resultLine}\nresult written to ${file}`);
    } else {
      const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
      const failed = sipp.failed;
      const attempted = sipp.created;
      const sl = result.summaries.latencyMs;
      process.stdout.write(
        [
          result.machine,
          `${RATE} calls/s for ${DURATION_S} s, ${SEATS} seats, talk ${TALK_MS} ms, ring ${RING_MS} ms, Kamailio children ${CHILDREN}, shm ${SHM_MB} MB, router LOG_LEVEL ${LOG_LEVEL}${CONSOLES ? ', seat consoles connected' : ', no seat consoles'}, ${SUPERVISORS} supervisor(s)${CPU_PROF ? ', router under --cpu-prof' : ''}${EVAPI_NODELAY ? ', evapi with TCP_NODELAY (shim)' : ''}`,
          '',
          `calls attempted ${attempted}, answered and completed ${sipp.successful}, failed ${failed} (${f((100 * failed) / attempted, 3)} %); SIPp retransmissions ${sipp.retrans}`,
          `rate achieved ${f(result.achievedRate, 1)} calls/s over ${f(lastInvite - firstInvite, 0)} s (INVITEs of answered calls); wall ${f(wallS, 0)} s`,
          `router database: ${routerDb.calls} calls, ${routerDb.answered} answered, ${routerDb.offeredAnsweredHungUp} with offered+answered+hung-up events, ${routerDb.seatsUsed} seats used, ${f(routerDb.offersPerCall, 3)} offers per call; states ${routerDb.byState.map((s) => `${s.kind} ${s.n}`).join(', ')}`,
          mediaSipp
            ? `calls with audio: ${mediaSipp.created} attempted, ${mediaSipp.successful} completed, ${mediaSipp.failed} failed`
            : 'no calls with audio',
          SUMMARIES
            ? `summaries: ${summaryFiler.counts.posted} posted by the seats' consoles, ${summaryFiler.counts.filed} filed, ${summaryFiler.counts.refused} refused${summaryFiler.counts.errors.length ? ` (${summaryFiler.counts.errors.join('; ')})` : ''}; ${routerDb.summaries} on file; wrap-up → 201 p50 ${f(sl.p50, 2)} ms, p99 ${f(sl.p99, 2)} ms; seats left in wrap-up ${inWrapUp.length}`
            : 'summaries: none (what-if: the summary gate off)',
          '',
          '| delay (ms) | n | p50 | p90 | p99 | p99.9 | max |',
          '|---|---:|---:|---:|---:|---:|---:|',
          `| INVITE → 180 | ${result.inviteTo180Ms.n} | ${f(result.inviteTo180Ms.p50, 2)} | ${f(result.inviteTo180Ms.p90, 2)} | ${f(result.inviteTo180Ms.p99, 2)} | ${f(result.inviteTo180Ms.p999, 2)} | ${f(result.inviteTo180Ms.max, 2)} |`,
          `| INVITE → 200 (answer) | ${result.answerDelayMs.n} | ${f(result.answerDelayMs.p50, 2)} | ${f(result.answerDelayMs.p90, 2)} | ${f(result.answerDelayMs.p99, 2)} | ${f(result.answerDelayMs.p999, 2)} | ${f(result.answerDelayMs.max, 2)} |`,
          '',
          '| CPU (share of one core) | % | seconds |',
          '|---|---:|---:|',
          ...Object.entries(cpu).map(([k, v]) => `| ${k} | ${f(v.pctOfOneCore)} | ${f(v.seconds)} |`),
          `| whole machine (2 cores = 200 %) | ${f(machineBusyPct * os.cpus().length)} | |`,
          '',
          `Kamailio by role (% of one core): ${Object.entries(kamRoles)
            .sort((a, b) => b[1] - a[1])
            .map(([r, v]) => `${r} ${f(v)}`)
            .join('; ')}`,
          `Kamailio shared memory: ${f(shmTotalMb, 0)} MB, peak used ${f(result.kamailioShm.peakMb)} MB; used every 30 s: ${shm
            .filter((_, i) => i % 6 === 0)
            .map((x) => f(x.realUsedMb))
            .join(' ')}`,
          `busiest Kamailio processes: ${kamBusiest.map((k) => `${k.role} ${f(k.pct)} %`).join('; ')}`,
          '',
          `answer delay per ${WINDOW_S} s window (p50 / p99 / max ms): ${windows.map((w) => `${f(w.answerP50)}/${f(w.answerP99)}/${f(w.answerMax, 0)}`).join('  ')}`,
          `log lines: router warn/error ${problems.routerWarnOrError}, Kamailio ERROR ${problems.kamailioErrors}, rtpengine errors ${problems.rtpengineErrors}; supervisor snapshots received ${snapshots}`,
          `rtpengine during the run: ${Object.entries(rtpDelta)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
          KEEP ? `run folder kept: ${stack.dir}` : '',
          '',
          resultLine,
          `result written to ${file}`,
          '',
        ].join('\n'),
      );
    }
    checks.finish('sip-load.bench');
    for (const s of supervisorSockets) s.disconnect();
    clearInterval(refresh);
  } finally {
    summaryFiler.close();
    for (const p of procs) await stopProcess(p);
    await stack.stop();
    fs.rmSync(shimDir, { recursive: true, force: true });
    if (CPU_PROF) process.stdout.write(keepProfiles(profDir, stack.dir, (loadStartedAt - routerStartedAt) / 1000 + 2));
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
