import dgram from 'node:dgram';
import type { Logger } from 'pino';
import { z } from 'zod';

/** One RFC 4733 digit as rtpengine's --dtmf-log-dest reports it. */
export interface DtmfDigit {
  callId: string;
  /** From-tag of the leg that sent the digit (the caller's tag for survey answers). */
  sourceTag: string;
  digit: string;
  /** rtpengine's own timestamp (unix ms), or the arrival time. */
  at: number;
}

const RtpengineDtmf = z.object({
  callid: z.string(),
  source_tag: z.string().default(''),
  type: z.string().optional(),
  event: z.coerce.number().int().min(0).max(16),
  timestamp: z.coerce.number().optional(),
});

const EVENT_DIGITS = '0123456789*#ABCD';

/** Turns one UDP datagram from rtpengine into a digit; null when it is not one. */
export function parseDtmfLog(text: string, now: number): DtmfDigit | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const r = RtpengineDtmf.safeParse(raw);
  if (!r.success || (r.data.type !== undefined && r.data.type !== 'DTMF')) return null;
  const digit = EVENT_DIGITS[r.data.event];
  if (digit === undefined) return null;
  const ts = r.data.timestamp;
  return { callId: r.data.callid, sourceTag: r.data.source_tag, digit, at: ts ? Math.round(ts < 1e11 ? ts * 1000 : ts) : now };
}

/** Listens for rtpengine's DTMF log (loopback UDP) and hands every digit to the subscribers. */
export class DtmfLog {
  private socket: dgram.Socket | null = null;
  private readonly listeners = new Set<(d: DtmfDigit) => void>();

  constructor(private readonly logger: Logger) {}

  start(host: string, port: number): Promise<void> {
    const socket = dgram.createSocket('udp4');
    this.socket = socket;
    socket.on('message', (msg) => {
      const d = parseDtmfLog(msg.toString('utf8'), Date.now());
      if (!d) {
        this.logger.warn({ text: msg.toString('utf8').slice(0, 200) }, 'dtmf log: not a digit');
        return;
      }
      this.logger.info({ callId: d.callId, digit: d.digit, sourceTag: d.sourceTag }, 'dtmf digit');
      for (const l of this.listeners) l(d);
    });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.logger.error({ err }, 'dtmf log socket error'));
        resolve();
      });
    });
  }

  subscribe(fn: (d: DtmfDigit) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  stop(): void {
    this.socket?.close();
    this.socket = null;
  }
}
