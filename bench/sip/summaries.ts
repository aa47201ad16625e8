/**
 * Bench seats file each call's summary (小结) the way the seat console does: when the seat's
 * own console hears that the seat is in wrap-up for a call (`seat:status-changed`), it POSTs
 * the summary to /api/calls/:id/summary with the seat's session cookie (what the console's
 * `api.fileSummary` sends). The router stores it and records it in the engine; with the
 * bench's zero-second wrap-up the seat is ready again at once (the summary gate,
 * wrapUp.requireSummary, keeps it in wrap-up until then).
 *
 * A person types for minutes and the console saves drafts while they type; the bench files
 * one complete summary at once and no drafts, the least a seat must do per call.
 */
import http from 'node:http';
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, SeatView, ServerToClientEvents } from '../../server/src/contract/index.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A complete summary (every field a filed 法律咨询 summary requires). */
export const BENCH_SUMMARY = {
  categoryId: 'general',
  topic: '压测来电',
  question: '压测:来电咨询一般法律问题。',
  answer: '压测:已解答。',
  disposition: 'answered',
} as const;

export interface SummaryCounts {
  /** Wrap-ups heard (one per call) and summaries POSTed for them. */
  posted: number;
  /** 201 Created. */
  filed: number;
  /** Any other answer, or no answer; the first few are kept in `errors`. */
  refused: number;
  errors: string[];
  /** POSTs still waiting for their answer. */
  inFlight: number;
  /** Time from hearing the wrap-up to the 201, ms. */
  latencyMs: number[];
}

export class SummaryFiler {
  readonly counts: SummaryCounts = { posted: 0, filed: 0, refused: 0, errors: [], inFlight: 0, latencyMs: [] };
  private readonly seen = new Set<string>();
  /**
   * Idle sockets are dropped after 4 s, before the router's HTTP server closes them (Node's
   * keepAliveTimeout, 5 s): reusing a socket the server is closing fails the POST with
   * "socket hang up" (a browser retries such a request; this client does not).
   */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 });
  private readonly url: URL;

  constructor(routerUrl: string) {
    this.url = new URL(routerUrl);
  }

  /** Files a summary for every call this seat's console reports it wrapping up. */
  watch(seat: { id: string; cookie: string; socket?: ClientSocket }): void {
    if (!seat.socket) throw new Error(`seat ${seat.id}: filing summaries needs the seat's console (socket)`);
    seat.socket.on('seat:status-changed', (view: SeatView) => {
      const st = view.state;
      if (st.kind !== 'wrap-up' || this.seen.has(st.callId)) return;
      this.seen.add(st.callId);
      this.file(st.callId, seat.cookie);
    });
  }

  private file(callId: string, cookie: string): void {
    const body = JSON.stringify(BENCH_SUMMARY);
    const t0 = performance.now();
    this.counts.posted++;
    this.counts.inFlight++;
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      this.counts.inFlight--;
      return true;
    };
    const fail = (why: string) => {
      if (!settle()) return;
      this.counts.refused++;
      if (this.counts.errors.length < 5) this.counts.errors.push(`${callId}: ${why}`);
    };
    const req = http.request(
      {
        host: this.url.hostname,
        port: this.url.port,
        method: 'POST',
        path: `/api/calls/${encodeURIComponent(callId)}/summary`,
        agent: this.agent,
        headers: { cookie, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 15_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          if (res.statusCode !== 201) return fail(`${res.statusCode} ${text.slice(0, 200)}`);
          if (settle()) {
            this.counts.filed++;
            this.counts.latencyMs.push(performance.now() - t0);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 15 s')));
    req.on('error', (err) => fail(err.message));
    req.end(body);
  }

  close(): void {
    this.agent.destroy();
  }
}
