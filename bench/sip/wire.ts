/**
 * Packet timestamps on the loopback interface (tshark/dumpcap), per Call-ID: when the
 * INVITE reached Kamailio, when Kamailio sent the enqueue event to the router, when the
 * router's ring command came back, when the INVITE left for the seat, when the seat's
 * 180 came in and when Kamailio relayed it to the caller. The kernel stamps each packet
 * as it passes lo, so these times do not include SIPp's own scheduling.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { sleep } from './stack.js';

export interface WireCall {
  inviteIn?: number;
  r182Out?: number;
  enqueue?: number;
  ring?: number;
  inviteSeat?: number;
  r180Seat?: number;
  r180Out?: number;
}

export function tsharkAvailable(): boolean {
  return spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
}

export class WireCapture {
  private proc: ChildProcess | null = null;

  constructor(
    private readonly file: string,
    private readonly ports: { trunk: number; seat: number; evapi: number },
  ) {}

  async start(): Promise<void> {
    const { trunk, seat, evapi } = this.ports;
    this.proc = spawn(
      'tshark',
      ['-q', '-i', 'lo', '-B', '64', '-w', this.file, '-f', `udp port ${trunk} or udp port ${seat} or tcp port ${evapi}`],
      {
        stdio: 'ignore',
      },
    );
    // dumpcap needs a moment before it sees packets
    for (let i = 0; i < 50 && !fs.existsSync(this.file); i++) await sleep(100);
    await sleep(500);
    if (this.proc.exitCode !== null) throw new Error(`tshark exited (${this.proc.exitCode}); is capturing on lo allowed?`);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await sleep(300);
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => p.kill('SIGKILL'), 5000);
      p.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      p.kill('SIGINT');
    });
  }

  /** Per Call-ID packet times (seconds since the epoch). */
  read(): Map<string, WireCall> {
    const { trunk, seat, evapi } = this.ports;
    const r = spawnSync(
      'tshark',
      [
        '-r',
        this.file,
        '-T',
        'fields',
        '-E',
        'separator=\t',
        '-e',
        'frame.time_epoch',
        '-e',
        'udp.srcport',
        '-e',
        'udp.dstport',
        '-e',
        'tcp.srcport',
        '-e',
        'tcp.dstport',
        '-e',
        'udp.payload',
        '-e',
        'tcp.payload',
      ],
      { encoding: 'utf8', maxBuffer: 1 << 30 },
    );
    if (r.status !== 0) throw new Error(`tshark -r: ${r.stderr}`);
    const calls = new Map<string, WireCall>();
    const get = (id: string) => {
      let c = calls.get(id);
      if (!c) calls.set(id, (c = {}));
      return c;
    };
    for (const line of r.stdout.split('\n')) {
      const f = line.split('\t');
      if (f.length < 7) continue;
      const t = Number(f[0]);
      const [usrc, udst, tsrc, tdst, up, tp] = [Number(f[1]), Number(f[2]), Number(f[3]), Number(f[4]), f[5]!, f[6]!];
      if (up) {
        const msg = Buffer.from(up.replace(/:/g, ''), 'hex').toString('latin1');
        const id = /^Call-ID:\s*(\S+)/im.exec(msg)?.[1];
        if (!id) continue;
        const first = msg.slice(0, msg.indexOf('\r\n'));
        const c = get(id);
        if (udst === trunk && first.startsWith('INVITE ')) c.inviteIn ??= t;
        else if (usrc === trunk && udst === seat && first.startsWith('INVITE ')) c.inviteSeat ??= t;
        else if (usrc === seat && first.startsWith('SIP/2.0 180')) c.r180Seat ??= t;
        else if (usrc === trunk && udst !== seat && first.startsWith('SIP/2.0 182')) c.r182Out ??= t;
        else if (usrc === trunk && udst !== seat && first.startsWith('SIP/2.0 180')) c.r180Out ??= t;
      } else if (tp) {
        // netstrings: <len>:<json>,
        const text = Buffer.from(tp.replace(/:/g, ''), 'hex').toString('utf8');
        for (const m of text.matchAll(/\{[^{}]*\}/g)) {
          let j: { event?: string; cmd?: string; callid?: string };
          try {
            j = JSON.parse(m[0]) as typeof j;
          } catch {
            continue;
          }
          if (!j.callid) continue;
          if (tsrc === evapi && j.event === 'enqueue') get(j.callid).enqueue ??= t;
          if (tdst === evapi && j.cmd === 'ring') get(j.callid).ring ??= t;
        }
      }
    }
    return calls;
  }
}
