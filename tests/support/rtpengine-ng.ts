/**
 * A minimal client of rtpengine's ng control protocol (bencode over UDP), for
 * tests and benchmarks to read rtpengine's own packet counters.
 */
import dgram from 'node:dgram';

type B = string | number | B[] | { [k: string]: B };

export function bencode(v: B): Buffer {
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
    const c = String.fromCharCode(buf[i]!);
    if (c === 'i') {
      const end = buf.indexOf(0x65, i);
      const n = Number(buf.subarray(i + 1, end).toString());
      i = end + 1;
      return n;
    }
    if (c === 'l') {
      i++;
      const out: unknown[] = [];
      while (buf[i] !== 0x65) out.push(parse());
      i++;
      return out;
    }
    if (c === 'd') {
      i++;
      const out: Record<string, unknown> = {};
      while (buf[i] !== 0x65) {
        const k = parse() as string;
        out[k] = parse();
      }
      i++;
      return out;
    }
    const colon = buf.indexOf(0x3a, i);
    const len = Number(buf.subarray(i, colon).toString());
    const s = buf.subarray(colon + 1, colon + 1 + len).toString();
    i = colon + 1 + len;
    return s;
  };
  return parse();
}

export async function ngCommand(
  addr: string,
  msg: { command: string; [k: string]: B },
  timeoutMs = 2000,
): Promise<Record<string, unknown>> {
  const [host, port] = [addr.split(':')[0]!, Number(addr.split(':')[1])];
  const cookie = Math.random().toString(36).slice(2, 10);
  const sock = dgram.createSocket('udp4');
  try {
    return await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`rtpengine ng ${msg.command}: no answer`)), timeoutMs);
      sock.on('message', (data) => {
        const sp = data.indexOf(0x20);
        if (data.subarray(0, sp).toString() !== cookie) return;
        clearTimeout(t);
        resolve(bdecode(data.subarray(sp + 1)) as Record<string, unknown>);
      });
      sock.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(msg)]), port, host);
    });
  } finally {
    sock.close();
  }
}

/** Packets rtpengine received from each side of a call (keyed by SIP tag). */
export async function packetsByTag(addr: string, callId: string): Promise<Record<string, number>> {
  const r = await ngCommand(addr, { command: 'query', 'call-id': callId });
  if (r.result !== 'ok') throw new Error(`rtpengine query: ${JSON.stringify(r)}`);
  const out: Record<string, number> = {};
  const tags = (r.tags ?? {}) as Record<string, { medias?: { streams?: { stats?: { packets?: number } }[] }[] }>;
  for (const [tag, t] of Object.entries(tags)) {
    out[tag] = (t.medias ?? []).flatMap((m) => m.streams ?? []).reduce((n, s) => n + (s.stats?.packets ?? 0), 0);
  }
  return out;
}
