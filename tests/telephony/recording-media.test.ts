/**
 * Recording against a real rtpengine (rendered rtpengine.conf's recording block: pcap spool):
 * two RTP parties with known tones (caller 440 Hz, seat 1000 Hz), the recorder started at the
 * answer, the zh-CN notice played to the caller's leg (its packets counted at the caller while
 * the seat is still silent), a pause, the hang-up; then the MP3 decoded by lame: expected
 * duration within a second, energy in both channels, silence in the pause.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtpengineRecordingMedia } from '../../server/src/telephony/recording-media.js';
import { RtpengineNg } from '../../server/src/telephony/rtpengine-ng.js';
import { freeUdpPort, sleep, stopProcess, waitFor, udpFree } from '../support/processes.js';

const ulaw = (v: number) => {
  let s = v;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s = Math.min(s, 32635) + 0x84;
  let e = 7;
  for (let m = 0x4000; (s & m) === 0 && e > 0; m >>= 1) e--;
  return ~(sign | (e << 4) | ((s >> (e + 3)) & 0x0f)) & 0xff;
};
const sdp = (port: number) =>
  `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;

describe('recording through rtpengine', () => {
  let rtp: ChildProcess;
  let dir: string;
  let ng: RtpengineNg;
  let ngPort: number;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-rtp-'));
    ngPort = await freeUdpPort();
    // rtpengine's media range in the kernel's ephemeral range, as sip-stack.ts puts it (not SIPp's media block)
    const media = 35000 + Math.floor(Math.random() * 1250) * 20;
    const tmpl = fs.readFileSync('sip-config/rtpengine.conf.tmpl', 'utf8');
    const conf = tmpl
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

  it('records both parties with the notice, a pause and the expected duration', async () => {
    const rec = new RtpengineRecordingMedia({
      ng,
      spoolDir: path.join(dir, 'spool'),
      outDir: path.join(dir, 'out'),
      noticeFile: path.resolve('sip-config/prompts/recording-notice-zh-CN.wav'),
      logger: pino({ level: 'silent' }),
    });
    const caller = dgram.createSocket('udp4');
    const seat = dgram.createSocket('udp4');
    await new Promise<void>((r) => caller.bind(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) => seat.bind(0, '127.0.0.1', () => r()));
    const callId = `rec-${Date.now()}`;
    const o = await ng.command({ command: 'offer', 'call-id': callId, 'from-tag': 'caller', sdp: sdp(caller.address().port) });
    const toSeat = Number(/m=audio (\d+)/.exec(String(o.sdp))![1]);
    // The seat's leg as a browser's would be (the notice goes to the plain RTP/AVP leg: the caller's).
    const a = await ng.command({
      command: 'answer',
      'call-id': callId,
      'from-tag': 'caller',
      'to-tag': 'seat',
      sdp: sdp(seat.address().port),
    });
    const toCaller = Number(/m=audio (\d+)/.exec(String(a.sdp))![1]);
    let atCaller = 0;
    caller.on('message', () => atCaller++);
    const answeredAt = Date.now();
    await rec.start(callId);
    // The caller talks from the start; the seat only after 3 s: what reaches the caller before is the notice.
    const send = (sock: dgram.Socket, port: number, f: number, seq: number) => {
      const pkt = Buffer.alloc(172);
      pkt[0] = 0x80;
      pkt.writeUInt16BE(seq & 0xffff, 2);
      pkt.writeUInt32BE(seq * 160, 4);
      pkt.writeUInt32BE(f, 8);
      for (let i = 0; i < 160; i++) pkt[12 + i] = ulaw(Math.round(8000 * Math.sin((2 * Math.PI * f * (seq * 160 + i)) / 8000)));
      sock.send(pkt, port, '127.0.0.1');
    };
    let noticePackets = 0;
    for (let seq = 0; seq < 300; seq++) {
      const t = Date.now() - answeredAt;
      send(caller, toSeat, 440, seq);
      if (t >= 3000) send(seat, toCaller, 1000, seq);
      if (seq === 150) noticePackets = atCaller;
      if (seq === 200) await rec.pause(callId);
      if (seq === 250) await rec.resume(callId);
      await sleep(20);
    }
    const endedAt = Date.now();
    await ng.command({ command: 'delete', 'call-id': callId, 'from-tag': 'caller' });
    caller.close();
    seat.close();
    expect(noticePackets).toBeGreaterThan(50); // ~3 s of notice at 50 packets/s before the seat spoke
    const pauseFrom = 200 * 20;
    const pauseTo = 250 * 20;
    const out = await rec.finish(callId, { answeredAt, endedAt, pauses: [[pauseFrom, pauseTo]] });
    expect(out.format).toBe('mp3');
    const mp3 = path.join(dir, 'out', out.file);
    expect(fs.statSync(mp3).size).toBeGreaterThan(1000);
    expect(fs.readdirSync(path.join(dir, 'spool', 'pcaps'))).toEqual([]); // the spool is emptied
    const wav = path.join(dir, 'decoded.wav');
    execFileSync('lame', ['--quiet', '--decode', mp3, wav]);
    const buf = fs.readFileSync(wav);
    const dataAt = buf.indexOf('data') + 8;
    const channels = buf.readUInt16LE(22);
    const rate = buf.readUInt32LE(24);
    expect(channels).toBe(2);
    const frames = (buf.length - dataAt) / 4;
    expect(Math.abs((frames / rate) * 1000 - (endedAt - answeredAt))).toBeLessThan(1000);
    const rms = (ch: number, fromMs: number, toMs: number) => {
      let e = 0;
      let n = 0;
      for (let f = Math.floor((fromMs * rate) / 1000); f < Math.floor((toMs * rate) / 1000); f++) {
        e += buf.readInt16LE(dataAt + f * 4 + ch * 2) ** 2;
        n++;
      }
      return Math.sqrt(e / n);
    };
    const talk = (ch: number) => rms(ch, 3200, 3900);
    // Both parties: one channel each (which is left depends on who sent first: the caller).
    expect(Math.min(talk(0), talk(1))).toBeGreaterThan(1000);
    expect(Math.max(rms(0, pauseFrom + 200, pauseTo - 200), rms(1, pauseFrom + 200, pauseTo - 200))).toBeLessThan(100);
  }, 60_000);
});
