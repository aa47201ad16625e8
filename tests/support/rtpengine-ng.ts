/**
 * rtpengine's ng control protocol for tests and benchmarks, through the product's own client
 * (server/src/telephony/rtpengine-ng.ts): one command, and rtpengine's packet counters per tag.
 */
import { RtpengineNg, type Bencoded } from '../../server/src/telephony/rtpengine-ng.js';

/** One ng command to rtpengine at `host:port`; rejects when it says error or does not answer. */
export async function ngCommand(
  addr: string,
  msg: { command: string; [k: string]: Bencoded },
  timeoutMs = 2000,
): Promise<Record<string, unknown>> {
  const [host, port] = [addr.split(':')[0]!, Number(addr.split(':')[1])];
  const ng = new RtpengineNg(host, port, timeoutMs);
  try {
    return await ng.command(msg);
  } finally {
    ng.close();
  }
}

/** Packets rtpengine received from each side of a call (keyed by SIP tag). */
export async function packetsByTag(addr: string, callId: string): Promise<Record<string, number>> {
  const r = await ngCommand(addr, { command: 'query', 'call-id': callId });
  const out: Record<string, number> = {};
  const tags = (r.tags ?? {}) as Record<string, { medias?: { streams?: { stats?: { packets?: number } }[] }[] }>;
  for (const [tag, t] of Object.entries(tags)) {
    out[tag] = (t.medias ?? []).flatMap((m) => m.streams ?? []).reduce((n, s) => n + (s.stats?.packets ?? 0), 0);
  }
  return out;
}
