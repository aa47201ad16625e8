import net from 'node:net';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../domain/clock.js';
import { NetstringDecoder, encodeNetstring } from './netstring.js';

export interface EvapiLinkOptions {
  host: string;
  port: number;
  clock: Clock;
  logger: Logger;
  /** First reconnect delay; doubles up to maxBackoffMs, with ±20 % jitter. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A ping goes out this often; no traffic for 3 intervals means the link is dead. */
  keepaliveMs?: number;
  onConnected(): void;
  onDisconnected(): void;
  onMessage(text: string): void;
  /**
   * Runs the handling of several messages that arrived in one read (`handleAll` calls
   * onMessage for each): the adapter makes them one commit. Without it, one by one.
   */
  inBatch?(handleAll: () => void): void;
}

/**
 * One TCP connection to Kamailio's evapi, kept up for the life of the router:
 * reconnects with exponential back-off, detects a silent peer with pings, and
 * frames messages as netstrings.
 */
export class EvapiLink {
  private socket: net.Socket | null = null;
  private connected = false;
  private stopped = false;
  private backoff: number;
  private retryTimer: TimerHandle | null = null;
  private keepaliveTimer: TimerHandle | null = null;
  private lastHeard = 0;
  /** Connection attempts since the last success (for the log and the status). */
  attempts = 0;

  constructor(private readonly o: EvapiLinkOptions) {
    this.backoff = o.minBackoffMs ?? 200;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) this.o.clock.clearTimeout(this.retryTimer);
    if (this.keepaliveTimer) this.o.clock.clearTimeout(this.keepaliveTimer);
    this.retryTimer = this.keepaliveTimer = null;
    this.socket?.destroy();
    this.socket = null;
  }

  /** Sends one message; false when the link is down (the caller keeps the message). */
  send(text: string): boolean {
    if (!this.connected || !this.socket) return false;
    this.socket.write(encodeNetstring(text));
    return true;
  }

  private connect(): void {
    if (this.stopped) return;
    this.attempts++;
    const socket = net.createConnection({ host: this.o.host, port: this.o.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 5000);
    const decoder = new NetstringDecoder();
    socket.on('connect', () => {
      if (this.attempts > 1) this.o.logger.info({ attempts: this.attempts }, 'evapi: reconnected to Kamailio');
      else this.o.logger.info({ addr: `${this.o.host}:${this.o.port}` }, 'evapi: connected to Kamailio');
      this.connected = true;
      this.attempts = 0;
      this.backoff = this.o.minBackoffMs ?? 200;
      this.lastHeard = this.o.clock.now();
      this.armKeepalive();
      this.o.onConnected();
    });
    socket.on('data', (chunk) => {
      this.lastHeard = this.o.clock.now();
      // Kamailio's evapi socket does not set TCP_NODELAY: with Nagle, its next event waits
      // until this side ACKs the last one, and Linux delays a bare ACK by up to 40 ms. When
      // handling a chunk wrote nothing back, a single "\n" (skipped by evapi's netstring
      // reader) carries the ACK at once. Measured: it removes ~25 ms from INVITE to ring
      // at p50 (docs/benchmarks.md).
      const written = socket.bytesWritten;
      setImmediate(() => {
        if (!socket.destroyed && socket.bytesWritten === written) socket.write('\n');
      });
      let frames: string[];
      try {
        frames = decoder.push(chunk as Buffer);
      } catch (err) {
        this.o.logger.error({ err }, 'evapi: corrupt stream from Kamailio; reconnecting');
        socket.destroy();
        return;
      }
      const handleAll = () => {
        for (const f of frames) this.o.onMessage(f);
      };
      if (frames.length > 1 && this.o.inBatch) this.o.inBatch(handleAll);
      else handleAll();
    });
    socket.on('error', (err) => {
      if (this.attempts <= 1 || this.attempts % 10 === 0) {
        this.o.logger.warn({ err: err.message, attempts: this.attempts }, 'evapi: cannot reach Kamailio; retrying');
      }
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      const was = this.connected;
      this.connected = false;
      if (this.keepaliveTimer) this.o.clock.clearTimeout(this.keepaliveTimer);
      this.keepaliveTimer = null;
      if (was) {
        this.o.logger.warn('evapi: connection to Kamailio lost; reconnecting');
        this.o.onDisconnected();
      }
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const max = this.o.maxBackoffMs ?? 5000;
    const delay = Math.round(this.backoff * (0.8 + Math.random() * 0.4));
    this.backoff = Math.min(max, this.backoff * 2);
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private armKeepalive(): void {
    const every = this.o.keepaliveMs ?? 5000;
    this.keepaliveTimer = this.o.clock.setTimeout(() => {
      this.keepaliveTimer = null;
      if (!this.connected) return;
      if (this.o.clock.now() - this.lastHeard > every * 3) {
        this.o.logger.warn('evapi: Kamailio silent for too long; reconnecting');
        this.socket?.destroy();
        return;
      }
      this.send(JSON.stringify({ cmd: 'ping' }));
      this.armKeepalive();
    }, every);
  }
}
