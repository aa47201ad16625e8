import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import type { Logger } from 'pino';
import { playMedia, type RtpengineNg } from './rtpengine-ng.js';

/**
 * The call-back prompt: a caller the routing turned into a call-back request is answered, hears
 * the recorded zh-CN prompt ("您的来电已登记，律师会尽快给您回电…") and is hung up on, instead of
 * only a `480 Callback Scheduled`.
 *
 * Kamailio is a proxy and cannot answer a call itself, so it relays the INVITE (the router's
 * `overflow` decision, record-routed) to this minimal SIP UAS on a loopback UDP port. The UAS
 * anchors the caller's media in rtpengine over ng (offer with the caller's SDP, answer with a
 * local discard port as the "callee"), answers 200 with rtpengine's SDP, asks rtpengine to
 * `play media` the prompt to the caller, and sends BYE through Kamailio when it has played.
 * The caller hanging up first is answered 200 and the playback stopped. If rtpengine cannot
 * take the call, the caller gets the old `480 Callback Scheduled`: the callback request is
 * stored either way (before any of this happens).
 */
export interface CallbackPromptOptions {
  /** Loopback address to listen on (port 0: any free port). */
  host: string;
  port?: number;
  /** Absolute path of the WAV file rtpengine plays. */
  file: string;
  ng: RtpengineNg;
  logger: Logger;
  /** Hang up this long after the prompt's end even if rtpengine did not say how long it is. */
  fallbackMs?: number;
}

interface Msg {
  method: string | null;
  ruri: string;
  status: number | null;
  headers: [string, string][];
  body: string;
}

interface Dialog {
  callId: string;
  invite: Msg;
  src: { address: string; port: number };
  toTag: string;
  callerTag: string;
  answer: string | null;
  acked: boolean;
  retransmit: NodeJS.Timeout | null;
  hangup: NodeJS.Timeout | null;
  byeSent: boolean;
  ended: boolean;
}

const CRLF = '\r\n';

export function parseSip(text: string): Msg | null {
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 4);
  const lines = head.split(CRLF);
  const start = lines.shift() ?? '';
  const headers: [string, string][] = [];
  for (const l of lines) {
    if (/^[ \t]/.test(l) && headers.length > 0) headers[headers.length - 1]![1] += ` ${l.trim()}`;
    else {
      const c = l.indexOf(':');
      if (c > 0) headers.push([l.slice(0, c).trim(), l.slice(c + 1).trim()]);
    }
  }
  const resp = /^SIP\/2\.0 (\d{3})/.exec(start);
  if (resp) return { method: null, ruri: '', status: Number(resp[1]), headers, body };
  const req = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(start);
  return req ? { method: req[1]!, ruri: req[2]!, status: null, headers, body } : null;
}

const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
};
const norm = (n: string) => COMPACT[n.toLowerCase()] ?? n.toLowerCase();
const all = (m: Msg, name: string) => m.headers.filter(([n]) => norm(n) === name).map(([, v]) => v);
const one = (m: Msg, name: string) => all(m, name)[0] ?? '';
const tagOf = (h: string) => /;\s*tag=([^;>\s]+)/i.exec(h)?.[1] ?? '';
const uriOf = (h: string) => /<([^>]+)>/.exec(h)?.[1] ?? h.split(';')[0]!.trim();

export class CallbackPrompt {
  private readonly sock = dgram.createSocket('udp4');
  private readonly dialogs = new Map<string, Dialog>();
  private readonly discard = dgram.createSocket('udp4');
  private address: { host: string; port: number } | null = null;
  private discardPort = 0;

  constructor(private readonly o: CallbackPromptOptions) {
    this.sock.on('message', (data, rinfo) => this.onMessage(data.toString('utf8'), rinfo));
    this.sock.on('error', (err) => this.o.logger.error({ err }, 'call-back prompt: socket error'));
    this.discard.on('message', () => undefined); // the caller's audio, which nobody listens to
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.discard.bind(0, this.o.host, resolve));
    this.discardPort = this.discard.address().port;
    await new Promise<void>((resolve, reject) => {
      this.sock.once('error', reject);
      this.sock.bind(this.o.port ?? 0, this.o.host, () => resolve());
    });
    this.address = { host: this.o.host, port: this.sock.address().port };
  }

  /** Where Kamailio relays a call-back caller (null before start). */
  uri(): string | null {
    return this.address ? `sip:callback@${this.address.host}:${this.address.port}` : null;
  }

  stop(): void {
    for (const d of [...this.dialogs.values()]) this.finish(d);
    this.sock.close();
    this.discard.close();
  }

  private send(text: string, to: { address: string; port: number }): void {
    this.sock.send(Buffer.from(text, 'utf8'), to.port, to.address);
  }

  private onMessage(text: string, rinfo: dgram.RemoteInfo): void {
    const m = parseSip(text);
    if (!m) return;
    const callId = one(m, 'call-id');
    const d = this.dialogs.get(callId);
    if (m.status !== null) {
      // The caller's answer to our BYE: the call is over.
      if (d && /\bBYE$/.test(one(m, 'cseq'))) this.finish(d);
      return;
    }
    const src = { address: rinfo.address, port: rinfo.port };
    switch (m.method) {
      case 'INVITE':
        if (d) {
          if (d.answer) this.send(d.answer, d.src); // a retransmission
          return;
        }
        void this.answerInvite(m, src);
        return;
      case 'ACK':
        if (d && !d.acked) {
          d.acked = true;
          if (d.retransmit) clearTimeout(d.retransmit);
          d.retransmit = null;
          void this.play(d);
        }
        return;
      case 'BYE':
        this.send(this.response(m, 200, 'OK'), src);
        if (d) {
          void this.o.ng.command({ command: 'stop media', 'call-id': d.callId, 'from-tag': d.callerTag }).catch(() => undefined);
          this.finish(d);
        }
        return;
      case 'CANCEL':
        this.send(this.response(m, 200, 'OK'), src);
        return;
      default:
        this.send(this.response(m, 405, 'Method Not Allowed'), src);
    }
  }

  private response(m: Msg, code: number, reason: string, extra: { toTag?: string; headers?: string[]; body?: string } = {}): string {
    const lines = [`SIP/2.0 ${code} ${reason}`];
    for (const v of all(m, 'via')) lines.push(`Via: ${v}`);
    if (code < 300) for (const rr of all(m, 'record-route')) lines.push(`Record-Route: ${rr}`);
    lines.push(`From: ${one(m, 'from')}`);
    const to = one(m, 'to');
    lines.push(`To: ${extra.toTag && !tagOf(to) ? `${to};tag=${extra.toTag}` : to}`);
    lines.push(`Call-ID: ${one(m, 'call-id')}`, `CSeq: ${one(m, 'cseq')}`, ...(extra.headers ?? []));
    const body = extra.body ?? '';
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    return lines.join(CRLF) + CRLF + CRLF + body;
  }

  private async answerInvite(m: Msg, src: { address: string; port: number }): Promise<void> {
    const callId = one(m, 'call-id');
    const d: Dialog = {
      callId,
      invite: m,
      src,
      toTag: randomBytes(6).toString('hex'),
      callerTag: tagOf(one(m, 'from')),
      answer: null,
      acked: false,
      retransmit: null,
      hangup: null,
      byeSent: false,
      ended: false,
    };
    this.dialogs.set(callId, d);
    this.send(this.response(m, 100, 'Trying'), src);
    let sdp: string;
    try {
      sdp = await this.anchor(d);
    } catch (err) {
      this.o.logger.error({ err, callId }, 'call-back prompt: rtpengine could not take the call; answering 480');
      this.send(this.response(m, 480, 'Callback Scheduled', { toTag: d.toTag }), src);
      this.dialogs.delete(callId);
      return;
    }
    const a = this.address!;
    d.answer = this.response(m, 200, 'OK', {
      toTag: d.toTag,
      headers: [`Contact: <sip:callback@${a.host}:${a.port}>`, 'Content-Type: application/sdp'],
      body: sdp,
    });
    this.send(d.answer, src);
    let wait = 500;
    const again = () => {
      if (d.acked || d.ended || wait > 4000) return;
      this.send(d.answer!, src);
      wait *= 2;
      d.retransmit = setTimeout(again, wait);
    };
    d.retransmit = setTimeout(again, wait);
  }

  /** The caller's media into rtpengine: the caller offers, a local discard port answers; returns the SDP for the caller. */
  private async anchor(d: Dialog): Promise<string> {
    const flags = { 'transport-protocol': 'RTP/AVP', ICE: 'remove', replace: ['origin', 'session-connection'] };
    const offer = await this.o.ng.command({ command: 'offer', 'call-id': d.callId, 'from-tag': d.callerTag, sdp: d.invite.body, ...flags });
    const ours = (typeof offer.sdp === 'string' ? offer.sdp : '')
      .replace(/^c=IN IP4 .*$/m, `c=IN IP4 ${this.o.host}`)
      .replace(/^m=audio \d+/m, `m=audio ${this.discardPort}`);
    const answer = await this.o.ng.command({
      command: 'answer',
      'call-id': d.callId,
      'from-tag': d.callerTag,
      'to-tag': d.toTag,
      sdp: ours,
      ...flags,
    });
    const sdp = typeof answer.sdp === 'string' ? answer.sdp : '';
    if (!sdp.startsWith('v=0')) throw new Error('rtpengine gave no SDP');
    return sdp;
  }

  private async play(d: Dialog): Promise<void> {
    let ms = this.o.fallbackMs ?? 15_000;
    try {
      const duration = await playMedia(this.o.ng, d.callId, d.callerTag, this.o.file);
      if (duration !== null) ms = duration;
      this.o.logger.info({ callId: d.callId, durationMs: duration }, 'call-back prompt playing');
    } catch (err) {
      this.o.logger.error({ err, callId: d.callId }, 'call-back prompt: rtpengine could not play the prompt');
      ms = 0;
    }
    if (d.ended) return;
    d.hangup = setTimeout(() => this.bye(d), ms + 500);
  }

  /** Hangs up on the caller through Kamailio (the Record-Route set, loose routing). */
  private bye(d: Dialog): void {
    if (d.ended || d.byeSent) return;
    d.byeSent = true;
    const inv = d.invite;
    const routes = all(inv, 'record-route').flatMap((v) => v.split(/,(?=\s*<)/).map((s) => s.trim()));
    const first = routes[0] ? uriOf(routes[0]) : uriOf(one(inv, 'contact'));
    const hop = /^sips?:(?:[^@]*@)?([^:;>]+)(?::(\d+))?/.exec(first);
    if (!hop) {
      this.finish(d);
      return;
    }
    const to = { address: hop[1]!, port: Number(hop[2] ?? 5060) };
    const a = this.address!;
    const text = [
      `BYE ${uriOf(one(inv, 'contact'))} SIP/2.0`,
      `Via: SIP/2.0/UDP ${a.host}:${a.port};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
      ...routes.map((r) => `Route: ${r}`),
      'Max-Forwards: 70',
      `From: ${one(inv, 'to')};tag=${d.toTag}`,
      `To: ${one(inv, 'from')}`,
      `Call-ID: ${d.callId}`,
      'CSeq: 1 BYE',
      'User-Agent: 12348-callback-prompt',
      'Content-Length: 0',
    ].join(CRLF);
    this.send(text + CRLF + CRLF, to);
    // No answer (the caller is gone): forget the call after a while anyway.
    d.hangup = setTimeout(() => this.finish(d), 4000);
  }

  private finish(d: Dialog): void {
    if (d.ended) return;
    d.ended = true;
    this.clear(d);
    this.dialogs.delete(d.callId);
    void this.o.ng.command({ command: 'delete', 'call-id': d.callId }).catch(() => undefined);
  }

  private clear(d: Dialog): void {
    if (d.retransmit) clearTimeout(d.retransmit);
    if (d.hangup) clearTimeout(d.hangup);
    d.retransmit = null;
    d.hangup = null;
  }
}
