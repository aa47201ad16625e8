/**
 * The people at work during the kills soak (bench/kills-soak.bench.ts), as their programs
 * behave: each bench seat's console is a Socket.IO client that reconnects by itself (the
 * browser console's settings), files the summary of every call it wraps up and files it again
 * while the router does not answer (the console keeps the form until it is saved); a console
 * that reconnects finds a wrap-up it missed from the seat list, as the reloaded page does.
 * The seats' phones (one SIPp UAS for every AOR) register again when Kamailio has been
 * restarted (JsSIP reconnects its WebSocket and registers). The external survey provider
 * posts dissatisfied ratings (each one opens a 回访 task) and posts again until answered.
 *
 * What the router acknowledged (201 for a summary, ok for a rating with its task) is kept,
 * so the soak can check afterwards that every acknowledged item is in the database.
 */
import http from 'node:http';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, SeatView, ServerToClientEvents, SipCredentials } from '../../server/src/contract/index.js';
import { surveySignedHeaders, type SurveyKey } from '../../server/src/features/satisfaction/webhook-signing.js';
import { RegisterClient } from './register-client.js';
import { BENCH_SUMMARY } from './summaries.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Reply {
  status: number;
  body: string;
}

/** One HTTP request; rejects on a network error (the router down). */
function request(
  agent: http.Agent,
  url: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent,
        headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 10 s')));
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Acknowledged {
  /** Call id → the seat whose summary the router acknowledged (201). */
  summaries: Map<string, string>;
  /** Call id → rating id and the 回访 task the router said it opened. */
  ratings: Map<string, { ratingId: number; visitTaskId: number | null }>;
  /** Refusals (4xx) of summaries and ratings, the first few. */
  refused: string[];
  /** Network errors and 5xx answers that were tried again. */
  retries: number;
  /** Summaries whose first answer a kill took, found filed on the retry (409 "already filed"). */
  savedUnanswered: Set<string>;
}

export class SoakPeople {
  readonly acked: Acknowledged = { summaries: new Map(), ratings: new Map(), refused: [], retries: 0, savedUnanswered: new Set() };
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 32, timeout: 4_000 });
  private readonly url: URL;
  private readonly consoles = new Map<string, ClientSocket>();
  private readonly filing = new Set<string>();
  private readonly rating = new Set<string>();
  private stopped = false;
  private sweeper: NodeJS.Timeout | null = null;
  /** Console reconnections seen (every console, every kill). */
  reconnects = 0;

  constructor(
    routerUrl: string,
    private readonly cookies: Map<string, string>,
    private readonly seatIds: string[],
    private readonly contact: string,
    private readonly trunk: { host: string; port: number },
    private readonly surveyKey: SurveyKey,
    private readonly log: (line: string) => void,
  ) {
    this.url = new URL(routerUrl);
  }

  /** Opens every seat's console (reconnecting by itself) and sets the seat ready. */
  async openConsoles(): Promise<void> {
    for (const id of this.seatIds) {
      const s: ClientSocket = ioClient(this.url.origin, {
        transports: ['websocket'],
        extraHeaders: { cookie: this.cookies.get(id)! },
        forceNew: true,
        reconnection: true,
        reconnectionDelay: 500,
        reconnectionDelayMax: 3000,
        randomizationFactor: 0.5,
      });
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
      s.io.on('reconnect', () => this.reconnects++);
      s.on('seat:status-changed', (view: SeatView) => {
        if (view.state.kind === 'wrap-up') this.fileSummary(view.state.callId, id);
      });
      this.consoles.set(id, s);
      const ack = await new Promise<{ ok: boolean }>((resolve) =>
        (s.emit as (...a: unknown[]) => void)('seat:set-status', { status: 'ready' }, resolve),
      );
      if (!ack.ok) throw new Error(`seat ${id} could not go ready: ${JSON.stringify(ack)}`);
    }
    // A console that was away during a kill finds its wrap-up in the seat list (as a reloaded page does).
    this.sweeper = setInterval(() => void this.sweep(), 1000);
  }

  /** The seat list as the admin sees it; null while the router does not answer. */
  async seats(): Promise<SeatView[] | null> {
    try {
      const r = await request(this.agent, this.url, 'GET', '/api/seats', { cookie: this.cookies.get('admin')! });
      if (r.status !== 200) return null;
      return (JSON.parse(r.body) as { data: SeatView[] }).data;
    } catch {
      return null;
    }
  }

  private async sweep(): Promise<void> {
    const seats = await this.seats();
    const mine = new Set(this.seatIds);
    for (const s of seats ?? []) if (mine.has(s.id) && s.state.kind === 'wrap-up') this.fileSummary(s.state.callId, s.id);
  }

  /** Files the call's summary with the seat's session; tries again while the router is away. */
  private fileSummary(callId: string, seatId: string): void {
    if (this.stopped || this.acked.summaries.has(callId) || this.acked.savedUnanswered.has(callId) || this.filing.has(callId)) return;
    this.filing.add(callId);
    void (async () => {
      try {
        for (let attempt = 0; !this.stopped; attempt++) {
          try {
            const r = await request(
              this.agent,
              this.url,
              'POST',
              `/api/calls/${encodeURIComponent(callId)}/summary`,
              { cookie: this.cookies.get(seatId)! },
              JSON.stringify(BENCH_SUMMARY),
            );
            if (r.status === 201) return void this.acked.summaries.set(callId, seatId);
            // A retry of a summary the router stored just before a kill took its answer: "already filed".
            if (r.status === 409 && attempt > 0 && r.body.includes('小结已提交')) return void this.acked.savedUnanswered.add(callId);
            if (r.status < 500) return void this.refuse(`summary ${callId} (${seatId}): ${r.status} ${r.body.slice(0, 160)}`);
          } catch {
            /* the router is away: the console keeps the form and saves it when it is back */
          }
          this.acked.retries++;
          await sleep(1000);
        }
      } finally {
        this.filing.delete(callId);
      }
    })();
  }

  /** The survey provider's dissatisfied rating of a call (opens a 回访 task); posted again until answered. */
  rate(callId: string): void {
    if (this.stopped || this.acked.ratings.has(callId) || this.rating.has(callId)) return;
    this.rating.add(callId);
    void (async () => {
      const body = JSON.stringify({ id: `soak-${callId}`, callId, score: 4, comment: '压测:不满意', ratedAt: Date.now() });
      while (!this.stopped) {
        try {
          const r = await request(
            this.agent,
            this.url,
            'POST',
            '/api/satisfaction/webhook',
            surveySignedHeaders(this.surveyKey, Date.now(), body),
            body,
          );
          if (r.status === 200) {
            const d = (JSON.parse(r.body) as { data: { ratingId: number; visitTaskId: number | null } }).data;
            this.acked.ratings.set(callId, { ratingId: d.ratingId, visitTaskId: d.visitTaskId });
            break;
          }
          if (r.status < 500) {
            this.refuse(`rating ${callId}: ${r.status} ${r.body.slice(0, 160)}`);
            break;
          }
        } catch {
          /* the router is away: the provider delivers again */
        }
        this.acked.retries++;
        await sleep(1000);
      }
      this.rating.delete(callId);
    })();
  }

  private refuse(line: string): void {
    if (this.acked.refused.length < 10) this.acked.refused.push(line);
    else this.acked.refused.length++;
    this.log(`refused: ${line}`);
  }

  /** Summaries and ratings still being tried. */
  get pending(): number {
    return this.filing.size + this.rating.size;
  }

  /** Registers every seat's phone at the one SIPp UAS (again after a Kamailio restart). */
  async register(expires = 900): Promise<void> {
    const client = new RegisterClient('127.0.0.2', this.trunk);
    await client.open();
    try {
      let i = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (i < this.seatIds.length) {
            const id = this.seatIds[i++]!;
            const r = await request(this.agent, this.url, 'GET', '/api/sip/credentials', { cookie: this.cookies.get(id)! });
            if (r.status !== 200) throw new Error(`credentials for ${id}: ${r.status} ${r.body.slice(0, 160)}`);
            await client.register((JSON.parse(r.body) as { data: SipCredentials }).data, this.contact, expires);
          }
        }),
      );
    } finally {
      client.close();
    }
  }

  /** Seats of this soak registered, and those not at work (offline, not ready or unregistered): a kill must leave none. */
  async readiness(): Promise<{ registered: number; notAtWork: string[] } | null> {
    const seats = await this.seats();
    if (!seats) return null;
    const mine = new Set(this.seatIds);
    const own = seats.filter((s) => mine.has(s.id));
    return {
      registered: own.filter((s) => s.registered).length,
      notAtWork: own.filter((s) => !s.registered || s.state.kind === 'offline' || s.state.kind === 'not-ready').map((s) => s.id),
    };
  }

  stop(): void {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const s of this.consoles.values()) s.disconnect();
    this.agent.destroy();
  }
}
