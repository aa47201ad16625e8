/**
 * Issue 17 item 4, kills: a steady SIPp load with audio through the product as it runs in
 * service (`npm start` under a service manager's restart, bench/sip/soak-product.ts), and
 * kill -9 of the routing server, then Kamailio, then rtpengine, at seeded random moments,
 * several rounds. Each daemon comes back the product's way: start.sh restarts a killed router
 * with Kamailio and rtpengine up; a killed Kamailio or rtpengine stops the hotline (start.sh
 * exits 1) and the service manager starts it again.
 *
 *   npm run bench:soak -- [--rate 20] [--rounds 3] [--talk-ms 3000] [--seed N] [--seats N]
 *                         [--gap-min 10] [--gap-max 40] [--no-pages] [--keep] [--smoke]
 *
 * During the load the seats' consoles file every call's summary, the survey provider posts
 * dissatisfied ratings (each opens a 回访 task), and a seat console and a supervisor page are
 * open in headless Chromium. Checked (a failed check exits 1; `--smoke`, one kill of each at
 * 5 calls/s, runs in npm test through tests/bench/benches-smoke.test.ts):
 *   - every call the router recorded ends in a final state with its closing event (nothing
 *     queued, ringing, talking or in wrap-up once the load has drained);
 *   - every call SIPp completed is recorded as answered;
 *   - every summary, rating and 回访 task the router acknowledged is in the database;
 *   - calls waiting at a router kill are answered afterwards; calls talking at a router kill
 *     complete, and rtpengine relays their audio while the router is down;
 *   - after every kill the seats are registered and ready again and both pages show a live
 *     connection (and a registered softphone) without anyone touching them.
 * Which calls survive a Kamailio or rtpengine kill is measured and printed, not checked.
 * Recovery times are printed, never checked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateSurveyKeys } from '../server/src/features/satisfaction/webhook-signing.js';
import { loopbackSipEnv } from '../tests/support/sip-env.js';
import { Checks, numberOption, ROOT, SMOKE, writeResult } from './report.js';
import { render } from './sip/load-results.js';
import { SoakPages } from './sip/soak-pages.js';
import { SupervisedProduct, type Daemon } from './sip/soak-product.js';
import { SoakPeople } from './sip/soak-seats.js';
import { activeCalls, callOutcomes, mediaSample, recordChecks, type KillRecord } from './sip/soak-records.js';
import { freePort, prepareDatabase, sippAddresses, sleep, stopProcess, tail } from './sip/stack.js';
import { spawn } from 'node:child_process';
import { waitFor } from '../tests/support/processes.js';
import { seededRandom } from '../server/src/seed/seeded-random.js';

const argv = process.argv.slice(2);
const opt = (k: string, d: number) => numberOption('kills-soak', k, d);
const RATE = opt('rate', SMOKE ? 5 : 20);
const ROUNDS = opt('rounds', SMOKE ? 1 : 3);
const TALK_MS = opt('talk-ms', 3000);
const SEED = opt('seed', SMOKE ? 17 : Math.floor(Math.random() * 1e6));
const SEATS = opt('seats', Math.ceil(RATE * (TALK_MS / 1000 + 2)) + 5);
const GAP_MIN_S = opt('gap-min', SMOKE ? 2 : 10);
const GAP_MAX_S = opt('gap-max', SMOKE ? 4 : 40);
/** How long a caller waits for an answer before SIPp gives up on it. */
const RECV_MS = SMOKE ? 30_000 : 60_000;
const PAGES = !argv.includes('--no-pages');
const KEEP = argv.includes('--keep');
const ORDER: Daemon[] = ['router', 'kamailio', 'rtpengine'];

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-soak-'));
  const rtpMin = 35_000 + Math.floor(Math.random() * 24) * 1000;
  const keysFile = path.join(dir, 'survey-keys');
  const env = await loopbackSipEnv(dir, {
    rtpMin,
    rtpMax: rtpMin + 999,
    routing: (cfg) => ({
      ...cfg,
      ringTimeoutS: 10,
      wrapUp: { ...cfg.wrapUp, seconds: 0 },
      serviceCalendar: { periods: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', plannedSeats: SEATS }], holidays: [] },
    }),
    env: { CLIENT_DIST: path.join(ROOT, 'client/dist'), SURVEY_WEBHOOK_KEYS_FILE: keysFile, VISIT_SAMPLE_PERCENT: '0' },
  });
  const surveyKey = loadOrCreateSurveyKeys(keysFile)[0]!;
  const seatIds = Array.from({ length: SEATS }, (_, i) => `b${String(i + 1).padStart(4, '0')}`);
  const cookies = await prepareDatabase(env.DB_PATH!, SEATS, seatIds);
  const random = seededRandom(SEED);
  const load0 = os.loadavg();
  log(`kills soak: ${RATE} calls/s, talk ${TALK_MS} ms, ${SEATS} seats, ${ROUNDS} round(s) of kills, seed ${SEED}; folder ${dir}`);

  const product = new SupervisedProduct(env, path.join(dir, 'npm-start.log'), log);
  const checks = new Checks();
  const kills: KillRecord[] = [];
  let caller: ReturnType<typeof spawn> | null = null;
  let seatPhone: ReturnType<typeof spawn> | null = null;
  let people: SoakPeople | null = null;
  let pages: SoakPages | null = null;
  const t0 = Date.now();
  try {
    product.start();
    await waitFor(() => product.up(1), 'npm start up and synced with Kamailio', 240_000, 250);
    const trunk = { host: env.SIP_TRUNK_ADDR!.split(':')[0]!, port: Number(env.SIP_TRUNK_ADDR!.split(':')[1]) };

    const seatIp = '127.0.0.2';
    const seatPort = await freePort(seatIp);
    const sippOut = (name: string) => fs.openSync(path.join(dir, name), 'a');
    seatPhone = spawn(
      'sipp',
      [
        '-sf',
        render('load-seat.xml', path.join(dir, 'load-seat.xml'), { ring: '' }),
        ...(await sippAddresses(seatIp, seatPort)),
        '-rtp_echo',
        '-nostdin',
        '-trace_err',
        '-error_file',
        path.join(dir, 'seat-phone-errors.log'),
      ],
      { cwd: dir, stdio: ['ignore', sippOut('seat-phone.out'), sippOut('seat-phone.out')] },
    );
    people = new SoakPeople(product.url, cookies, seatIds, `${seatIp}:${seatPort}`, trunk, surveyKey, log);
    await people.register();
    await people.openConsoles();
    await waitFor(async () => atWork(await people!.readiness()), `${SEATS} seats registered and ready`, 60_000, 250);
    if (PAGES) pages = await SoakPages.open(product.url, 'seat01');
    log(`seats ready${pages ? ', seat and supervisor pages open' : ''}; load starts`);

    const loadStartedAt = Date.now();
    const callerLog = path.join(dir, 'caller-calls.log');
    const callerXml = render('soak-caller.xml', path.join(dir, 'soak-caller.xml'), {}, TALK_MS);
    fs.writeFileSync(callerXml, fs.readFileSync(callerXml, 'utf8').replace(/"RECV_MS"/g, `"${RECV_MS}"`));
    caller = spawn(
      'sipp',
      [
        env.SIP_TRUNK_ADDR!,
        '-sf',
        callerXml,
        '-s',
        '12348',
        ...(await sippAddresses('127.0.0.1')),
        '-r',
        String(RATE),
        '-m',
        String(RATE * 3600),
        '-nostdin',
        '-trace_logs',
        '-log_file',
        callerLog,
        '-trace_err',
        '-error_file',
        path.join(dir, 'caller-errors.log'),
      ],
      { cwd: dir, stdio: ['ignore', sippOut('caller.out'), sippOut('caller.out')] },
    );

    // The survey provider rates one finished call every 2 s (each rating opens a 回访 task).
    const rater = setInterval(() => {
      const done = [...people!.acked.summaries.keys()].filter((id) => !people!.acked.ratings.has(id));
      if (done.length > 0) people!.rate(done[Math.floor(random() * done.length)]!);
    }, 2000);

    await sleep(SMOKE ? 5000 : 20_000); // steady load first
    for (let round = 1; round <= ROUNDS; round++) {
      for (const which of ORDER) {
        const gap = GAP_MIN_S + random() * (GAP_MAX_S - GAP_MIN_S);
        await sleep(gap * 1000);
        kills.push(await killAndRecover(which, round));
      }
    }
    await sleep(SMOKE ? 3000 : 20_000);
    clearInterval(rater);
    const loadS = (Date.now() - loadStartedAt) / 1000;
    log(`load stops after ${loadS.toFixed(0)} s; draining`);
    caller.kill('SIGUSR1'); // SIPp: no new calls
    // Done when SIPp has exited, or when the router has no call in progress and SIPp has logged
    // nothing for 3 s (a call SIPp still waits on after that is one it has lost).
    const quiet = () => Date.now() - fs.statSync(callerLog).mtimeMs > 3000;
    await waitFor(
      () => caller!.exitCode !== null || (activeCalls(env.DB_PATH!).length === 0 && quiet()),
      'the load drained',
      RECV_MS + TALK_MS + 20_000,
      500,
    ).catch(() => undefined);
    await stopProcess(caller, { signal: 'SIGKILL' });
    await waitFor(() => people!.pending === 0, 'summaries and ratings answered', 60_000, 250).catch(() => undefined);
    await waitFor(() => activeCalls(env.DB_PATH!).length === 0, 'no call in progress', 60_000, 500).catch(() => undefined);

    const outcomes = callOutcomes(callerLog);
    const result = recordChecks(checks, {
      dbPath: env.DB_PATH!,
      outcomes,
      kills,
      acked: people.acked,
    });
    checks.equal('summaries or ratings refused', people.acked.refused.length, 0);
    const summary = {
      rate: RATE,
      talkMs: TALK_MS,
      seats: SEATS,
      seed: SEED,
      loadSeconds: loadS,
      wallSeconds: (Date.now() - t0) / 1000,
      npmStartRuns: product.starts,
      consoleReconnects: people.reconnects,
      retriedRequests: people.acked.retries,
      load: { before: load0, after: os.loadavg(), cpus: os.cpus().length },
      ...result,
      kills,
    };
    printSummary(summary);
    const file = writeResult('kills-soak', summary);
    process.stdout.write(`RESULT kills-soak ${JSON.stringify({ calls: result.calls, kills: kills.length, lost: result.lost })}\n`);
    process.stdout.write(`result written to ${path.relative(ROOT, file)}\n`);
  } catch (err) {
    log(`kills soak failed: ${String(err instanceof Error ? err.stack : err)}`);
    log(tail(path.join(dir, 'npm-start.log'), 40));
    checks.expect('the soak ran to its end', false, String(err));
  } finally {
    if (caller) await stopProcess(caller, { signal: 'SIGKILL' });
    people?.stop();
    await pages?.close().catch(() => undefined);
    await product.stop();
    if (seatPhone) await stopProcess(seatPhone, { signal: 'SIGKILL' });
    if (!KEEP && checks.failed.length === 0) fs.rmSync(dir, { recursive: true, force: true });
    else log(`run folder kept: ${dir}`);
  }
  checks.finish('kills-soak.bench');

  function atWork(r: Awaited<ReturnType<SoakPeople['readiness']>>): boolean {
    return r !== null && r.registered === SEATS && r.notAtWork.length === 0;
  }

  async function killAndRecover(which: Daemon, round: number): Promise<KillRecord> {
    const resyncs = product.resyncs();
    const kamailioBefore = product.pid('kamailio');
    const atKill = activeCalls(env.DB_PATH!);
    const mediaBefore = which === 'router' ? await mediaSample(env.RTPENGINE_NG_ADDR!) : null;
    const at = Date.now();
    if (!product.kill(which)) throw new Error(`${which} is not running`);
    log(`round ${round}: kill -9 ${which} at +${((at - t0) / 1000).toFixed(1)} s (${atKill.length} calls in progress)`);
    let media: KillRecord['media'] = null;
    if (mediaBefore) {
      await sleep(800); // start.sh waits 1 s before it starts the router again
      const after = await mediaSample(env.RTPENGINE_NG_ADDR!);
      const sampled = [...mediaBefore.keys()].filter((id) => mediaBefore.get(id)! > 0 && after.has(id));
      media = { sampled: sampled.length, flowing: sampled.filter((id) => after.get(id)! > mediaBefore.get(id)!).length };
    }
    const since = (t: number) => (t - at) / 1000;
    let syncedS: number | null = null;
    let seatsS: number | null = null;
    let pagesS: number | null = null;
    let pagesDetail = '';
    let seatPageS = null as number | null;
    let supervisorPageS = null as number | null;
    let lastSeats = null as Awaited<ReturnType<SoakPeople['readiness']>>;
    try {
      await waitFor(() => product.up(resyncs + 1), `the router back after the ${which} kill`, 180_000, 200);
      syncedS = since(Date.now());
      if (product.pid('kamailio') !== kamailioBefore) {
        // A new Kamailio knows no registration: the phones register again (JsSIP does on reconnect).
        await waitFor(() => people!.register().then(() => true), 'seats registered again', 60_000, 1000);
      }
      await waitFor(async () => atWork((lastSeats = await people!.readiness())), 'every seat at work again', 120_000, 250);
      seatsS = since(Date.now());
      if (pages) {
        await waitFor(
          async () => {
            const s = await pages.state();
            pagesDetail = s.detail;
            if (s.seat) seatPageS ??= since(Date.now());
            if (s.supervisor) supervisorPageS ??= since(Date.now());
            return s.seat && s.supervisor;
          },
          'the pages live again',
          90_000,
          250,
        );
        pagesS = since(Date.now());
      }
    } catch (err) {
      log(`round ${round}, ${which}: not recovered: ${String(err)}${pagesDetail ? ` (${pagesDetail})` : ''}`);
      if (lastSeats)
        log(`  seats registered ${lastSeats.registered}/${SEATS}; not at work: ${lastSeats.notAtWork.slice(0, 10).join(', ')}`);
    }
    log(
      `  ${which}: router synced after ${syncedS?.toFixed(1) ?? '-'} s, seats ready after ${seatsS?.toFixed(1) ?? '-'} s, pages live after ${pagesS?.toFixed(1) ?? '-'} s (seat page ${seatPageS?.toFixed(1) ?? '-'} s, supervisor page ${supervisorPageS?.toFixed(1) ?? '-'} s)`,
    );
    return {
      round,
      which,
      atS: (at - t0) / 1000,
      down: { from: at, to: syncedS === null ? Date.now() : at + syncedS * 1000 },
      waiting: atKill.filter((c) => c.state === 'queued' || c.state === 'ringing').map((c) => c.caller),
      talking: atKill.filter((c) => c.state === 'talking').map((c) => c.caller),
      media,
      syncedS,
      seatsS,
      pagesS: pages ? pagesS : undefined,
      seatPageS,
      supervisorPageS,
    };
  }
}

function printSummary(s: {
  calls: number;
  kills: KillRecord[];
  survival: { which: Daemon; waiting: string; talking: string; media: string }[];
  load: { before: number[]; after: number[]; cpus: number };
}) {
  log(
    `calls: ${s.calls}; machine load ${s.load.before.map((x) => x.toFixed(2)).join(' ')} → ${s.load.after.map((x) => x.toFixed(2)).join(' ')} (${s.load.cpus} cores)`,
  );
  for (const [i, k] of s.kills.entries()) {
    const sv = s.survival[i]!;
    log(
      `  round ${k.round} ${k.which.padEnd(9)} waiting ${sv.waiting.padEnd(12)} talking ${sv.talking.padEnd(12)} media ${sv.media.padEnd(10)} synced ${k.syncedS?.toFixed(1) ?? '-'} s, seats ${k.seatsS?.toFixed(1) ?? '-'} s, pages ${k.pagesS?.toFixed(1) ?? '-'} s`,
    );
  }
}

void main();
