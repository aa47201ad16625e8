/**
 * Turns rtpengine's per-call pcap (recording-method=pcap, recording-format=raw: every RTP packet
 * of the call as an IPv4/UDP datagram, decrypted) into one mixed stereo file: each media source
 * (by RTP SSRC; the first to send is the left channel, normally the caller, the other the right)
 * decoded from G.711 (PCMU/PCMA) and placed by its capture time from the answer, so gaps (a hold
 * with no media, a pause) stay silent and the file lasts exactly from answer to hang-up. The
 * seat's pauses are silenced again here whatever rtpengine captured.
 */
export interface MixSpan {
  answeredAt: number;
  endedAt: number;
  pauses: [number, number][];
  /** Other SIP calls mixed in (consultations): their Call-IDs and spans, ms from the answer. */
  legs?: { callId: string; fromMs: number; toMs: number }[];
}

const RATE = 8000;

function ulaw(b: number): number {
  const u = ~b & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return u & 0x80 ? 0x84 - t : t - 0x84;
}
function alaw(b: number): number {
  const a = b ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}
const ULAW = Int16Array.from({ length: 256 }, (_, i) => ulaw(i));
const ALAW = Int16Array.from({ length: 256 }, (_, i) => alaw(i));

/** Interleaved 16-bit stereo samples at 8 kHz, for [answeredAt, endedAt). */
export function mixPcap(pcap: Buffer, span: MixSpan): Int16Array {
  const frames = Math.max(0, Math.round(((span.endedAt - span.answeredAt) * RATE) / 1000));
  const out = new Int16Array(frames * 2);
  if (pcap.length < 24) return out;
  const le = pcap.readUInt32LE(0) === 0xa1b2c3d4;
  const nano = pcap.readUInt32LE(0) === 0xa1b23c4d;
  const u32 = (o: number) => (le || nano ? pcap.readUInt32LE(o) : pcap.readUInt32BE(o));
  const channels = new Map<number, number>();
  // Where each source's next packet goes, so packets stay contiguous despite capture jitter.
  const nextFrame = new Map<number, { seq: number; frame: number }>();
  let off = 24;
  while (off + 16 <= pcap.length) {
    const sec = u32(off);
    const sub = u32(off + 4);
    const incl = u32(off + 8);
    const data = pcap.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const at = sec * 1000 + (nano ? sub / 1e6 : sub / 1000);
    if (data.length < 20 || data[0]! >> 4 !== 4) continue;
    const ihl = (data[0]! & 0x0f) * 4;
    if (data[9] !== 17) continue;
    const rtp = data.subarray(ihl + 8);
    if (rtp.length < 12 || rtp[0]! >> 6 !== 2) continue;
    const pt = rtp[1]! & 0x7f;
    if (pt !== 0 && pt !== 8) continue;
    const cc = rtp[0]! & 0x0f;
    const seq = rtp.readUInt16BE(2);
    const ssrc = rtp.readUInt32BE(8);
    let payload = rtp.subarray(12 + cc * 4);
    if (rtp[0]! & 0x20) payload = payload.subarray(0, payload.length - (payload[payload.length - 1] ?? 0));
    if (!channels.has(ssrc)) {
      if (channels.size >= 2) continue;
      channels.set(ssrc, channels.size);
    }
    const ch = channels.get(ssrc)!;
    let frame = Math.round(((at - span.answeredAt) * RATE) / 1000);
    const prev = nextFrame.get(ssrc);
    // A packet right after the previous one continues it (within 60 ms of its capture time).
    if (prev && ((seq - prev.seq) & 0xffff) === 1 && Math.abs(prev.frame - frame) < 480) frame = prev.frame;
    const table = pt === 0 ? ULAW : ALAW;
    for (let i = 0; i < payload.length; i++) {
      const f = frame + i;
      if (f >= 0 && f < frames) out[f * 2 + ch] = table[payload[i]!]!;
    }
    nextFrame.set(ssrc, { seq, frame: frame + payload.length });
  }
  silence(out, span.pauses);
  return out;
}

/** Silences the spans (ms from the answer) in interleaved stereo samples. */
export function silence(out: Int16Array, spans: [number, number][]): void {
  const frames = out.length / 2;
  for (const [a, b] of spans) {
    const from = Math.max(0, Math.round((a * RATE) / 1000));
    const to = Math.min(frames, Math.round((b * RATE) / 1000));
    out.fill(0, from * 2, Math.max(from, to) * 2);
  }
}

/**
 * Adds a leg recorded with the call (a consultation: its own pcap, mixed by mixPcap over the same
 * span) to the call's samples: both of the leg's parties in both channels, within [fromMs, toMs),
 * clamped. The caller is on hold meanwhile, so the consultation is heard in the middle of the file.
 */
export function addLeg(out: Int16Array, leg: Int16Array, fromMs: number, toMs: number): void {
  const frames = Math.min(out.length, leg.length) / 2;
  const from = Math.max(0, Math.round((fromMs * RATE) / 1000));
  const to = Math.min(frames, Math.round((toMs * RATE) / 1000));
  for (let f = from; f < to; f++) {
    const v = leg[f * 2]! + leg[f * 2 + 1]!;
    if (v === 0) continue;
    for (let ch = 0; ch < 2; ch++) out[f * 2 + ch] = Math.max(-32768, Math.min(32767, out[f * 2 + ch]! + v));
  }
}

/** A 16-bit PCM WAV file of interleaved stereo samples at 8 kHz. */
export function wavFile(samples: Int16Array, channels = 2): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(RATE, 24);
  h.writeUInt32LE(RATE * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
