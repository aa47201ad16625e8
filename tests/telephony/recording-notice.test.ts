/**
 * The recorded-call notice before the parties are connected, against a real rtpengine: both
 * parties send from the answer on; while the notice plays the caller hears only the notice (none
 * of the seat's packets) and the seat hears nothing of the caller; once it has played they hear
 * each other. Also: a router restarted during the notice connects the parties when it takes the
 * call up again (start with `restart`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpengineRecordingMedia } from '../../server/src/telephony/recording-media.js';
import { RtpengineNg } from '../../server/src/telephony/rtpengine-ng.js';
import { freeUdpPort, sleep, stopProcess, udpFree, waitFor } from '../support/processes.js';

const sdp = (port: number) =>
  `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;
const NOTICE = path.resolve('sip-config/prompts/recording-notice-zh-CN.wav');
const CALLER_MARK = 0x37;
const SEAT_MARK = 0x4b;

describe('the recorded-call notice before the parties are connected', () => {
  let rtp: ChildProcess;
  let dir: string;
  let ng: RtpengineNg;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-notice-'));
    const ngPort = await freeUdpPort();
    // rtpengine's media range in the kernel's ephemeral range, as sip-stack.ts puts it (not SIPp's media block)
    const media = 35000 + Math.floor(Math.random() * 1250) * 20;
    const conf = fs
      .readFileSync('sip-config/rtpengine.conf.tmpl', 'utf8')
      .replace('{{RTP_ADDR}}', '127.0.0.1')
      .replace('{{RTPENGINE_NG}}', `127.0.0.1:${ngPort}`)
      .replace('{{RTP_PORT_MIN}}', String(media))
      .replace('{{RTP_PORT_MAX}}', String(media + 19))
      .replace('{{DTMF_LOG}}', '127.0.0.1:9')
      .replaceAll('{{RECORDING_SPOOL}}', path.join(dir, 'spool'));
    fs.writeFileSync(path.join(dir, 'rtpengine.conf'), conf);
    rtp = spawn(
      'rtpengine',
      [`--config-file=${path.join(dir, 'rtpengine.conf')}`, '--config-section=rtpengine', '--foreground', '--log-stderr'],
      {
        cwd: dir,
        stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'rtpengine.log'), 'a')],
      },
    );
    await waitFor(async () => !(await udpFree('127.0.0.1', ngPort)), 'rtpengine ng', 15_000);
    ng = new RtpengineNg('127.0.0.1', ngPort);
  });
  afterAll(async () => {
    ng?.close();
    await stopProcess(rtp, { timeoutMs: 5000 });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A call whose parties send marked packets every 20 ms; counts what each receives, by origin. */
  async function call(callId: string) {
    const caller = dgram.createSocket('udp4');
    const seat = dgram.createSocket('udp4');
    await new Promise<void>((r) => caller.bind(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) => seat.bind(0, '127.0.0.1', () => r()));
    const o = await ng.command({ command: 'offer', 'call-id': callId, 'from-tag': 'caller', sdp: sdp(caller.address().port) });
    // The offer's reply names rtpengine's port for the seat to send to, the answer's for the caller.
    const seatSends = Number(/m=audio (\d+)/.exec(String(o.sdp))![1]);
    const a = await ng.command({
      command: 'answer',
      'call-id': callId,
      'from-tag': 'caller',
      'to-tag': 'seat',
      sdp: sdp(seat.address().port),
    });
    const callerSends = Number(/m=audio (\d+)/.exec(String(a.sdp))![1]);
    const heard = { callerFromSeat: 0, callerOther: 0, seatFromCaller: 0 };
    caller.on('message', (m) => (m[20] === SEAT_MARK ? heard.callerFromSeat++ : heard.callerOther++));
    seat.on('message', (m) => m[20] === CALLER_MARK && heard.seatFromCaller++);
    let seq = 0;
    const timer = setInterval(() => {
      for (const [sock, port, mark, ssrc] of [
        [caller, callerSends, CALLER_MARK, 1111],
        [seat, seatSends, SEAT_MARK, 2222],
      ] as const) {
        const pkt = Buffer.alloc(172, mark);
        pkt[0] = 0x80;
        pkt[1] = 0;
        pkt.writeUInt16BE(seq & 0xffff, 2);
        pkt.writeUInt32BE(seq * 160, 4);
        pkt.writeUInt32BE(ssrc, 8);
        sock.send(pkt, port, '127.0.0.1');
      }
      seq++;
    }, 20);
    const window = async (ms: number) => {
      const before = { ...heard };
      await sleep(ms);
      return {
        callerFromSeat: heard.callerFromSeat - before.callerFromSeat,
        callerOther: heard.callerOther - before.callerOther,
        seatFromCaller: heard.seatFromCaller - before.seatFromCaller,
      };
    };
    const end = async () => {
      clearInterval(timer);
      await ng.command({ command: 'delete', 'call-id': callId, 'from-tag': 'caller' }).catch(() => undefined);
      caller.close();
      seat.close();
    };
    return { window, end };
  }

  const media = () =>
    new RtpengineRecordingMedia({
      ng,
      spoolDir: path.join(dir, 'spool'),
      outDir: path.join(dir, 'out'),
      noticeFile: NOTICE,
      logger: pino({ level: 'silent' }),
    });

  it('the caller hears only the notice and the seat nothing of the caller until it has played; then they talk', async () => {
    const id = `notice-${Date.now()}`;
    const c = await call(id);
    try {
      const before = await c.window(400);
      // media flows both ways before the recorder starts
      expect(Math.min(before.seatFromCaller, before.callerFromSeat)).toBeGreaterThan(5);
      await media().start(id);
      await sleep(300); // the block and the notice are asked for just after the start
      const during = await c.window(2500); // the notice lasts 3.6 s
      // Unblocked, each would get ~125 packets here; rtpengine 10.5 lets a stray packet through at times.
      expect(during.callerFromSeat).toBeLessThanOrEqual(2);
      expect(during.seatFromCaller).toBeLessThanOrEqual(2);
      expect(during.callerOther).toBeGreaterThan(50); // the notice, at 50 packets a second
      await sleep(1500);
      const after = await c.window(1000);
      expect(after.seatFromCaller).toBeGreaterThan(25);
      expect(after.callerFromSeat).toBeGreaterThan(25);
    } finally {
      await c.end();
    }
  }, 30_000);

  it('a router restarted during the notice connects the parties when it takes the call up again', async () => {
    const id = `notice-restart-${Date.now()}`;
    const c = await call(id);
    try {
      // As a router killed during the notice leaves it: both parties blocked, nobody to unblock them.
      for (const tag of ['caller', 'seat']) await ng.command({ command: 'block media', 'call-id': id, 'from-tag': tag });
      await sleep(300);
      const blocked = await c.window(600);
      expect(blocked.callerFromSeat + blocked.seatFromCaller).toBeLessThanOrEqual(2);
      await media().start(id, { notice: false, restart: true });
      await sleep(300);
      const after = await c.window(1000);
      expect(after.seatFromCaller).toBeGreaterThan(25);
      expect(after.callerFromSeat).toBeGreaterThan(25);
    } finally {
      await c.end();
    }
  }, 30_000);
});
