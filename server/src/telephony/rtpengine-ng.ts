import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

/**
 * A small client of rtpengine's ng control protocol (bencode over UDP, loopback): what the
 * call-back prompt and the survey need (offer, answer, play media, stop media, delete). One
 * socket, requests matched to replies by their cookie.
 */
export type Bencoded = string | number | Bencoded[] | { [k: string]: Bencoded };

export function bencode(v: Bencoded): Buffer {
  if (typeof v === 'number') return Buffer.from(`i${Math.trunc(v)}e`);
  if (typeof v === 'string') {
    const b = Buffer.from(v);
    return Buffer.concat([Buffer.from(`${b.length}:`), b]);
  }
  if (Array.isArray(v)) return Buffer.concat([Buffer.from('l'), ...v.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(v).sort();
  return Buffer.concat([Buffer.from('d'), ...keys.flatMap((k) => [bencode(k), bencode(v[k]!)]), Buffer.from('e')]);
}

export function bdecode(buf: Buffer): unknown {
  let i = 0;
  const parse = (): unknown => {
    const c = buf[i];
    if (c === undefined) throw new Error('bencode: truncated');
    if (c === 0x69) {
      const end = buf.indexOf(0x65, i);
      const n = Number(buf.subarray(i + 1, end).toString());
      i = end + 1;
      return n;
    }
    if (c === 0x6c || c === 0x64) {
      const dict = c === 0x64;
      i++;
      const list: unknown[] = [];
      const obj: Record<string, unknown> = {};
      while (buf[i] !== 0x65) {
        if (i >= buf.length) throw new Error('bencode: truncated');
        if (dict) {
          const k = parse() as string;
          obj[k] = parse();
        } else list.push(parse());
      }
      i++;
      return dict ? obj : list;
    }
    const colon = buf.indexOf(0x3a, i);
    if (colon < 0) throw new Error('bencode: bad string');
    const len = Number(buf.subarray(i, colon).toString());
    const s = buf.subarray(colon + 1, colon + 1 + len).toString();
    i = colon + 1 + len;
    return s;
  };
  return parse();
}

export class RtpengineNg {
  private sock: dgram.Socket | null = null;
  private seq = 0;
  private readonly prefix = randomBytes(6).toString('hex');
  private readonly pending = new Map<string, { resolve: (r: Record<string, unknown>) => void; timer: NodeJS.Timeout }>();

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs = 2000,
  ) {}

  /** Sends one command; resolves with rtpengine's reply, rejects when it says error or does not answer. */
  command(msg: { command: string; [k: string]: Bencoded }): Promise<Record<string, unknown>> {
    const sock = this.socket();
    // rtpengine answers a cookie it has seen with its cached reply (retransmissions): unique per client.
    const cookie = `${this.prefix}_${++this.seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(cookie);
        reject(new Error(`rtpengine ng ${msg.command}: no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(cookie, {
        timer,
        resolve: (r) => {
          const why = typeof r['error-reason'] === 'string' ? r['error-reason'] : 'error';
          if (r.result === 'error') reject(new Error(`rtpengine ng ${msg.command}: ${why}`));
          else resolve(r);
        },
      });
      sock.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(msg)]), this.port, this.host, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(cookie);
        reject(err);
      });
    });
  }

  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.sock?.close();
    this.sock = null;
  }

  private socket(): dgram.Socket {
    if (this.sock) return this.sock;
    const sock = dgram.createSocket('udp4');
    sock.on('message', (data) => {
      const sp = data.indexOf(0x20);
      const p = this.pending.get(data.subarray(0, sp).toString());
      if (!p) return;
      this.pending.delete(data.subarray(0, sp).toString());
      clearTimeout(p.timer);
      try {
        p.resolve(bdecode(data.subarray(sp + 1)) as Record<string, unknown>);
      } catch {
        p.resolve({ result: 'error', 'error-reason': 'unreadable reply' });
      }
    });
    sock.on('error', () => undefined);
    sock.unref();
    this.sock = sock;
    return sock;
  }
}

/**
 * Plays a WAV file *to* the party whose tag is `toTag` (rtpengine's `from-tag` names the party
 * the media goes to); resolves with the file's length in ms as rtpengine reports it (null: not said).
 */
export async function playMedia(ng: RtpengineNg, callId: string, toTag: string, file: string): Promise<number | null> {
  const r = await ng.command({ command: 'play media', 'call-id': callId, 'from-tag': toTag, file });
  return typeof r.duration === 'number' && r.duration > 0 ? r.duration : null;
}
