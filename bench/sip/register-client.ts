/**
 * A digest REGISTER client for the SIP benchmarks, so hundreds of seat AORs register to one
 * SIPp UAS without a softphone each.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import type { SipCredentials } from '../../server/src/contract/index.js';

// ------------------------------------------------------------------ digest REGISTER client

/**
 * Registers seat AORs with Kamailio over UDP (RFC 3261 REGISTER, RFC 2617 digest
 * without qop, as auth_challenge(…, "0") asks). One socket, several in flight.
 */
export class RegisterClient {
  private readonly sock = dgram.createSocket('udp4');
  private readonly pending = new Map<string, (msg: string) => void>();
  private localPort = 0;

  constructor(
    private readonly localIp: string,
    private readonly kamailio: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    await new Promise<void>((resolve) => this.sock.bind(0, this.localIp, resolve));
    this.localPort = this.sock.address().port;
    this.sock.on('message', (buf) => {
      const msg = buf.toString();
      const callId = /^Call-ID:\s*(.+)$/im.exec(msg)?.[1]?.trim();
      if (callId) this.pending.get(callId)?.(msg);
    });
  }

  close(): void {
    this.sock.close();
  }

  private request(callId: string, text: string, timeoutMs = 3000): Promise<string> {
    return new Promise((resolve, reject) => {
      let tries = 0;
      const send = () => this.sock.send(text, this.kamailio.port, this.kamailio.host);
      const retrans = setInterval(() => (++tries < 4 ? send() : undefined), 500);
      const t = setTimeout(() => {
        clearInterval(retrans);
        this.pending.delete(callId);
        reject(new Error(`REGISTER ${callId}: no final response`));
      }, timeoutMs);
      this.pending.set(callId, (msg) => {
        const code = Number(/^SIP\/2\.0 (\d{3})/.exec(msg)?.[1]);
        if (code < 200) return;
        clearTimeout(t);
        clearInterval(retrans);
        this.pending.delete(callId);
        resolve(msg);
      });
      send();
    });
  }

  /** REGISTER `creds.seatId` with Contact sip:<seat>@<contact>; throws unless 200. */
  async register(creds: SipCredentials, contact: string, expires: number): Promise<void> {
    const callId = `${crypto.randomBytes(8).toString('hex')}@bench`;
    const tag = crypto.randomBytes(4).toString('hex');
    const ruri = `sip:${creds.domain}`;
    const build = (cseq: number, auth: string) =>
      [
        `REGISTER ${ruri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${this.localIp}:${this.localPort};branch=z9hG4bK${crypto.randomBytes(6).toString('hex')};rport`,
        `From: <sip:${creds.seatId}@${creds.domain}>;tag=${tag}`,
        `To: <sip:${creds.seatId}@${creds.domain}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:${creds.seatId}@${contact}>`,
        `Expires: ${expires}`,
        ...(auth ? [auth] : []),
        'Max-Forwards: 70',
        'User-Agent: bench-register',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    const first = await this.request(callId, build(1, ''));
    if (/^SIP\/2\.0 200/.test(first)) return;
    const www = /^WWW-Authenticate:\s*Digest\s+(.+)$/im.exec(first)?.[1];
    if (!www) throw new Error(`REGISTER ${creds.seatId}: ${first.split('\r\n')[0]}`);
    const param = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(www)?.[1] ?? '';
    const realm = param('realm');
    const nonce = param('nonce');
    const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
    const response = md5(`${md5(`${creds.username}:${realm}:${creds.password}`)}:${nonce}:${md5(`REGISTER:${ruri}`)}`);
    const auth = `Authorization: Digest username="${creds.username}", realm="${realm}", nonce="${nonce}", uri="${ruri}", response="${response}", algorithm=MD5`;
    const second = await this.request(callId, build(2, auth));
    if (!/^SIP\/2\.0 200/.test(second)) throw new Error(`REGISTER ${creds.seatId}: ${second.split('\r\n')[0]}`);
  }
}
