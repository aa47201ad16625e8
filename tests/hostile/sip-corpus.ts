/**
 * Hostile SIP for tests/hostile/sip-torture.test.ts: torture messages in the spirit of RFC 4475
 * (valid but odd, and invalid) and a seeded fuzzed INVITE corpus in the spirit of PROTOS c07-sip.
 * Pure functions of the seed: the same seed always gives the same bytes.
 */
import { seededRandom } from '../../server/src/seed/seeded-random.js';

interface Target {
  host: string;
  port: number;
}

const sdp = (ip: string) =>
  ['v=0', `o=fz 1 1 IN IP4 ${ip}`, 's=-', `c=IN IP4 ${ip}`, 't=0 0', 'm=audio 40000 RTP/AVP 8 101', 'a=rtpmap:8 PCMA/8000', ''].join(
    '\r\n',
  );

function invite(t: Target, n: number, body = sdp('127.0.0.5')): { lines: string[]; body: string } {
  return {
    lines: [
      `INVITE sip:12348@${t.host}:${t.port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.5:5099;rport;branch=z9hG4bK-fz${n}`,
      `From: "fuzz" <sip:1390000${String(n).padStart(4, '0')}@127.0.0.5>;tag=fz${n}`,
      `To: <sip:12348@${t.host}>`,
      `Call-ID: fz-${n}@127.0.0.5`,
      'CSeq: 1 INVITE',
      `Contact: <sip:fz@127.0.0.5:5099>`,
      'Max-Forwards: 70',
      'Content-Type: application/sdp',
      `Content-Length: ${Buffer.byteLength(body)}`,
    ],
    body,
  };
}

const assemble = (lines: string[], body: string) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');

const BAD_SDP = [
  'v=0\r\no=x 1 1 IN IP4 127.0.0.5\r\ns=-\r\nt=0 0\r\n', // no media, no connection
  'v=0\r\no=x 1 1 IN IP4 127.0.0.5\r\ns=-\r\nc=IN IP4 127.0.0.5\r\nt=0 0\r\nm=video 40000 RTP/AVP 96\r\n', // no audio
  'v=0\r\no=x 1 1 IN IP4 127.0.0.5\r\ns=-\r\nc=IN IP4 127.0.0.5\r\nt=0 0\r\nm=audio 40000 RTP/AVP 126 127 99\r\na=rtpmap:126 WEIRD/1\r\n', // odd codecs
  'v=0\r\nc=IN IP4 999.1.1.1\r\nm=audio 99999 RTP/AVP 0\r\n',
  'v=0\r\nc=IN IP6 ::zz\r\nm=audio -1 RTP/SAVPF\r\n',
  `v=0\r\n${'a=x\r\n'.repeat(8000)}`, // a huge body
];

const VALUES = [
  '',
  ' ',
  '\t',
  '<',
  '>',
  '"',
  '\\',
  '%00',
  '\u0000',
  ';;;;',
  ',,,,',
  'A'.repeat(256),
  'A'.repeat(4096),
  'A'.repeat(40_000),
  '-1',
  '4294967296',
  '99999999999999999999',
  '0x10',
  '☃',
];

/** `count` fuzzed INVITEs, each a few mutations of a valid one. */
export function fuzzedInvites(seed: number, count: number, t: Target): Buffer[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: Buffer[] = [];
  for (let n = 0; n < count; n++) {
    let { lines, body } = invite(t, n);
    const mutations = 1 + Math.floor(rnd() * 3);
    let bytes: Buffer | null = null;
    for (let m = 0; m < mutations; m++) {
      const at = 1 + Math.floor(rnd() * (lines.length - 1));
      switch (Math.floor(rnd() * 11)) {
        case 0: // a mandatory header missing
          lines.splice(at, 1);
          break;
        case 1: // a header twice
          lines.splice(at, 0, lines[at]!);
          break;
        case 2: {
          // an odd or over-long value
          const [name] = lines[at]!.split(':');
          lines[at] = `${name}: ${pick(VALUES)}`;
          break;
        }
        case 3: // a wrong Content-Length
          lines = lines.filter((l) => !l.startsWith('Content-Length'));
          lines.push(`Content-Length: ${pick(['0', '-5', '1000000', 'abc', '99999999999999999999', String(Buffer.byteLength(body) + 7)])}`);
          break;
        case 4: // a bad request line
          lines[0] = pick([
            'INVITE sip:12348@ SIP/2.0',
            `INVITE ${'sip:'.repeat(500)} SIP/2.0`,
            'INVITE sip:12348@127.0.0.1 SIP/7.0',
            'INV\u0000ITE sip:12348@127.0.0.1 SIP/2.0',
            'INVITE  sip:12348@127.0.0.1  SIP/2.0',
            'I sip:x SIP/2.0',
            'INVITE sip:%ZZ@127.0.0.1 SIP/2.0',
          ]);
          break;
        case 5: // bad SDP
          body = pick(BAD_SDP);
          break;
        case 6: // a bad Via
          lines[1] = pick([
            'Via: SIP/2.0/UDP',
            'Via: SIP/2.0/UDP 127.0.0.5:99999;branch=',
            'Via: SIP/2.0/XYZ [::1;branch=z9hG4bK',
            `Via: ${'SIP/2.0/UDP 127.0.0.5,'.repeat(300)}`,
            'Via: SIP/2.0/UDP 127.0.0.5;received=999.999.999.999;rport=-1',
          ]);
          break;
        case 7: // deeply nested angle brackets and quotes in a name-addr
          lines[2] = `From: ${'"'.repeat(200)}${'<'.repeat(500)}sip:x@y${'>'.repeat(500)};tag=1`;
          break;
        case 8: // header line folding and whitespace
          lines.splice(at, 0, `X-Fold: a\r\n ${' '.repeat(200)}b\r\n\tc`);
          break;
        case 9: // many headers
          for (let i = 0; i < 200; i++) lines.splice(at, 0, `X-H${i}: ${i}`);
          break;
        default: {
          // byte flips and truncation on the assembled message
          const b = assemble(lines, body);
          const flips = 1 + Math.floor(rnd() * 12);
          for (let i = 0; i < flips; i++)
            b[Math.floor(rnd() * b.length)] = pick([0, 10, 13, 32, 58, 59, 60, 62, 0xff, Math.floor(rnd() * 256)]);
          bytes = rnd() < 0.3 ? b.subarray(0, Math.floor(rnd() * b.length)) : b;
        }
      }
      if (bytes) break;
    }
    out.push(bytes ?? assemble(lines, body));
  }
  return out;
}

/** Torture messages after RFC 4475's (valid ones with odd syntax, and invalid ones). */
export function tortureMessages(t: Target): Buffer[] {
  const ruri = `sip:12348@${t.host}:${t.port}`;
  const base = (extra: string[], first = `INVITE ${ruri} SIP/2.0`, body = '') =>
    Buffer.from(
      [
        first,
        'Via: SIP/2.0/UDP 127.0.0.6:5099;branch=z9hG4bK-tort',
        'From: <sip:caller@127.0.0.6>;tag=t1',
        `To: <${ruri}>`,
        'Call-ID: torture@127.0.0.6',
        'CSeq: 1 INVITE',
        'Max-Forwards: 70',
        ...extra,
        '',
        body,
      ].join('\r\n'),
      'latin1',
    );
  const options = (extra: string[]) => base(['Content-Length: 0', ...extra], `OPTIONS ${ruri} SIP/2.0`);
  return [
    // valid, odd: whitespace, folding, escaped characters, unknown header, long values
    options(['Subject:', 'NewFangledHeader:   newfangled value\r\n continued newfangled value', 'UnknownHeaderWithUnusualValue: ;;,,;;,;']),
    options([`X-Long: ${'a'.repeat(2000)}`, `Call-Info: ${'<http://x/>'.repeat(100)}`]),
    base(['Content-Length: 0'], `INVITE sip:sips%3Auser%40example.com@${t.host};maddr=127.0.0.1 SIP/2.0`),
    base(['Content-Length: 0'], `OPTIONS sip:user;par=u%40example.net@${t.host} SIP/2.0`),
    base(['Content-Length: 0'], `NEWMETHOD ${ruri} SIP/2.0`),
    base(['Content-Length: 0'], `OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0`),
    // invalid: bad version, negative / oversized / multiple Content-Length, missing headers
    base(['Content-Length: 0'], `INVITE ${ruri} SIP/7.0`),
    base(['Content-Length: -999'], undefined, 'v=0'),
    base(['Content-Length: 9999'], undefined, 'v=0'),
    base(['Content-Length: 3', 'Content-Length: 300'], undefined, 'v=0'),
    Buffer.from(`INVITE ${ruri} SIP/2.0\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`, 'latin1'),
    base(['Content-Length: 0', 'Max-Forwards: 300000000000000000000', 'Expires: 10000000000000000000']),
    base(['Content-Length: 0', 'CSeq: 36893488147419103232 INVITE']),
    base(['Content-Length: 0', 'Contact: sip:a@b;lr;lr;lr;lr;lr;lr;lr;lr'], `INVITE sip:user@[::1 SIP/2.0`),
    // two requests in one datagram, and a response with nothing to match
    Buffer.concat([options([]), options([])]),
    Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKnone\r\nContent-Length: 0\r\n\r\n', 'latin1'),
    Buffer.from('\r\n\r\n', 'latin1'), // keep-alive
    Buffer.alloc(0),
    Buffer.from('\u0000'.repeat(1000), 'latin1'),
  ];
}
