/**
 * In-memory stand-ins for the softphone's ports (client/src/features/phone/types.ts): a user agent that
 * records what it was asked and lets a test play JsSIP's events, a clock with advance(), Web Locks
 * with exclusive / ifAvailable / steal / abort semantics shared by several "tabs", storage, devices,
 * ringer and network.
 */
import type { Ack, PhoneClaimResult, PhoneOwnerView, SipCredentials } from '../../../client/src/contract';
import { createPhoneController, type PhoneController } from '../../../client/src/features/phone/controller';
import type {
  DeviceList,
  KeyValueStorage,
  LockManagerLike,
  MediaChoice,
  MediaDevicesPort,
  NetworkPort,
  PhoneAdapter,
  PhoneClock,
  PhoneUa,
  PhoneUaConfig,
  PhoneUaEvent,
  ReferOutcome,
  Ringer,
} from '../../../client/src/features/phone/types';
import { createAppStore, type AppStore } from '../../../client/src/app/store';
import { T0, user } from './fixtures';

export const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/**
 * The router's side of one phone per seat (POST /api/phone/claim, /api/phone/release and the
 * 'phone:owner-changed' push to every console of the seat), with the same rules as
 * server/src/features/seats/phone-ownership-service.ts: free, same console or same browser → yours;
 * another computer's → only with `take`, and not while the seat is in a call.
 */
export class FakePhoneServer {
  owner: { consoleId: string; browser: string } | null = null;
  inCall = false;
  /** Answer claims with this error instead (network trouble). */
  failClaims: Ack<PhoneClaimResult> | null = null;
  readonly claims: { consoleId: string; take: boolean }[] = [];
  readonly consoles: { seatId: string; onPush: (o: PhoneOwnerView) => void }[] = [];

  view(seatId = 's01'): PhoneOwnerView {
    return this.owner
      ? { seatId, consoleId: this.owner.consoleId, browser: this.owner.browser, since: T0 }
      : { seatId, consoleId: null, browser: null, since: null };
  }

  private push(): void {
    for (const c of [...this.consoles]) c.onPush(this.view(c.seatId));
  }

  claim(consoleId: string, browser: string, take: boolean): Ack<PhoneClaimResult> {
    this.claims.push({ consoleId, take });
    if (this.failClaims) return this.failClaims;
    const free = !this.owner || this.owner.consoleId === consoleId || this.owner.browser === browser;
    const refuse = (reason: string): Ack<PhoneClaimResult> => {
      this.push();
      return { ok: true, data: { owned: false, owner: this.view(), browser, reason } };
    };
    if (!free && !take) return refuse('此坐席已在另一台电脑登录,电话正在那台电脑使用');
    if (!free && this.inCall) return refuse('此坐席正在另一台电脑通话,通话结束后才能在此电脑使用电话');
    const changed = this.owner?.consoleId !== consoleId;
    this.owner = { consoleId, browser };
    if (changed) this.push();
    return { ok: true, data: { owned: true, owner: this.view(), browser, reason: null } };
  }

  release(consoleId: string): void {
    if (this.owner?.consoleId !== consoleId) return;
    this.owner = null;
    this.push();
  }

  owns(consoleId: string): boolean {
    return this.owner?.consoleId === consoleId;
  }
}

let browsers = 0;
let consoles = 0;

export class FakeUa implements PhoneUa {
  started = false;
  stopped = false;
  connected = false;
  registers = 0;
  credentials: { username: string; password: string };
  readonly actions: string[] = [];
  readonly answers: { callId: string; media: MediaChoice }[] = [];
  readonly refers: { callId: string; target: string; done: (o: ReferOutcome) => void }[] = [];
  /** What hold() answers (false = JsSIP cannot re-offer now). */
  holdAccepted = true;
  outputId: string | null = 'unset';
  inputId: string | null = 'unset';
  private nextCall = 1;

  constructor(
    readonly config: PhoneUaConfig,
    private readonly onEvent: (e: PhoneUaEvent) => void,
  ) {
    this.credentials = { username: config.username, password: config.password };
  }

  emit(e: PhoneUaEvent): void {
    if (e.type === 'connected') this.connected = true;
    if (e.type === 'disconnected') this.connected = false;
    this.onEvent(e);
  }

  /** The socket comes up and the REGISTER is answered 200. */
  comeUp(): void {
    this.emit({ type: 'connecting', attempt: 0 });
    this.emit({ type: 'connected' });
    this.emit({ type: 'registered' });
  }

  ring(callId = 'call-1', remoteUser = '13812345678'): void {
    this.emit({ type: 'incoming', callId, remoteUser });
  }

  start() {
    this.started = true;
  }
  stop() {
    this.stopped = true;
    this.connected = false;
  }
  setCredentials(username: string, password: string) {
    this.credentials = { username, password };
  }
  register() {
    this.registers++;
  }
  isConnected() {
    return this.connected;
  }
  answer(callId: string, media: MediaChoice) {
    this.answers.push({ callId, media });
  }
  reject(callId: string, status: number, reason: string) {
    this.actions.push(`reject ${callId} ${status} ${reason}`);
  }
  hangup(callId: string) {
    this.actions.push(`hangup ${callId}`);
  }
  mute(callId: string, muted: boolean) {
    this.actions.push(`mute ${callId} ${muted}`);
    this.emit({ type: 'muted', callId, muted });
  }
  hold(callId: string, held: boolean) {
    this.actions.push(`hold ${callId} ${held}`);
    return this.holdAccepted;
  }
  sendDtmf(callId: string, tone: string) {
    this.actions.push(`dtmf ${callId} ${tone}`);
  }
  refer(callId: string, target: string, done: (o: ReferOutcome) => void) {
    this.actions.push(`refer ${callId} ${target}`);
    this.refers.push({ callId, target, done });
  }
  call(target: string, media: MediaChoice) {
    const id = `out-${this.nextCall++}`;
    this.actions.push(`call ${id} ${target} ${media.inputId ?? 'default'}`);
    return id;
  }
  setOutput(deviceId: string | null) {
    this.outputId = deviceId;
  }
  setInput(deviceId: string | null) {
    this.inputId = deviceId;
  }
}

export class FakeAdapter implements PhoneAdapter {
  readonly uas: FakeUa[] = [];
  createUa(config: PhoneUaConfig, onEvent: (e: PhoneUaEvent) => void): PhoneUa {
    const ua = new FakeUa(config, onEvent);
    this.uas.push(ua);
    return ua;
  }
  get last(): FakeUa {
    const ua = this.uas.at(-1);
    if (!ua) throw new Error('no user agent was created');
    return ua;
  }
}

export class FakeClock implements PhoneClock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  constructor(start = T0) {
    this.t = start;
  }
  now() {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(h: unknown) {
    this.timers.delete(h as number);
  }
  /** Runs due timers in time order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const due = [...this.timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
    await flush();
  }
  pending(): number[] {
    return [...this.timers.values()].map((x) => x.at - this.t).sort((a, b) => a - b);
  }
}

const abortError = () => Object.assign(new Error('The lock request was aborted'), { name: 'AbortError' });

/** navigator.locks for several tabs of one browser profile. */
export class FakeLocks implements LockManagerLike {
  private readonly held = new Map<string, { reject: (e: unknown) => void }>();
  private readonly queue = new Map<string, (() => void)[]>();

  request(
    name: string,
    options: { ifAvailable?: boolean; steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        const holder = { reject };
        this.held.set(name, holder);
        void Promise.resolve(callback({ name, mode: 'exclusive' })).then((v) => {
          if (this.held.get(name) !== holder) return; // stolen meanwhile: already rejected
          this.held.delete(name);
          resolve(v);
          this.queue.get(name)?.shift()?.();
        });
      };
      if (options.steal) {
        const h = this.held.get(name);
        this.held.delete(name);
        h?.reject(abortError());
        grant();
        return;
      }
      if (!this.held.has(name)) {
        grant();
        return;
      }
      if (options.ifAvailable) {
        void Promise.resolve(callback(null)).then(resolve, reject);
        return;
      }
      const q = this.queue.get(name) ?? [];
      this.queue.set(name, q);
      const entry = () => grant();
      q.push(entry);
      options.signal?.addEventListener('abort', () => {
        const i = q.indexOf(entry);
        if (i >= 0) q.splice(i, 1);
        reject(abortError());
      });
    });
  }

  isHeld(name: string): boolean {
    return this.held.has(name);
  }
}

export class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

export class FakeRinger implements Ringer {
  ringing = false;
  outputId: string | null = null;
  starts = 0;
  start(outputId: string | null) {
    this.ringing = true;
    this.starts++;
    this.outputId = outputId;
  }
  stop() {
    this.ringing = false;
  }
  setOutput(outputId: string | null) {
    this.outputId = outputId;
  }
}

export class FakeDevices implements MediaDevicesPort {
  problem: string | null = null;
  list_: DeviceList = {
    inputs: [
      { deviceId: 'mic-a', label: '耳麦麦克风' },
      { deviceId: 'mic-b', label: '笔记本麦克风' },
    ],
    outputs: [
      { deviceId: 'spk-a', label: '耳麦' },
      { deviceId: 'spk-b', label: '笔记本扬声器' },
    ],
    canSelectOutput: true,
  };
  private listeners: (() => void)[] = [];
  async prepare() {
    return this.problem;
  }
  async list() {
    return this.list_;
  }
  onChange(l: () => void) {
    this.listeners.push(l);
    return () => (this.listeners = this.listeners.filter((x) => x !== l));
  }
  plug(device: { deviceId: string; label: string }) {
    this.list_ = { ...this.list_, inputs: [...this.list_.inputs, device] };
    for (const l of this.listeners) l();
  }
}

export class FakeNetwork implements NetworkPort {
  online = true;
  private listeners: ((online: boolean) => void)[] = [];
  isOnline() {
    return this.online;
  }
  onChange(l: (online: boolean) => void) {
    this.listeners.push(l);
    return () => (this.listeners = this.listeners.filter((x) => x !== l));
  }
  set(online: boolean) {
    this.online = online;
    for (const l of this.listeners) l(online);
  }
}

/** Credentials as the router issues them: "<unix expiry>:<seat>", valid for `lifetimeMs` from now. */
export function credentials(clock: FakeClock, lifetimeMs = 12 * 3600_000, seatId = 's01'): SipCredentials {
  const expiresAt = clock.now() + lifetimeMs;
  return {
    seatId,
    username: `${Math.floor(expiresAt / 1000)}:${seatId}`,
    password: `pw-${expiresAt}`,
    expiresAt,
    uri: `sip:${seatId}@hotline.local`,
    domain: 'hotline.local',
    wsUrl: 'ws://127.0.0.1:8088',
  };
}

export interface PhoneRig {
  store: AppStore;
  phone: PhoneController;
  adapter: FakeAdapter;
  ringer: FakeRinger;
  devices: FakeDevices;
  network: FakeNetwork;
  storage: MemoryStorage;
  tabStorage: MemoryStorage;
  /** Answers for GET /api/sip/credentials, in order; the last one repeats. */
  answers: (() => Ack<SipCredentials>)[];
  fetches: number;
  consoleId: string;
  /** Pushes from the router reach this console (its socket is connected). */
  connected: boolean;
  releases: { keepalive: boolean }[];
}

export interface SharedBrowser {
  clock: FakeClock;
  locks: FakeLocks | null;
  storage: MemoryStorage;
  /** The router, shared by every computer of the test. */
  server: FakePhoneServer;
  /** This browser's sign-in session tag. */
  tag: string;
}

/** One browser (one computer); pass `other` to make a second computer talking to the same router. */
export function sharedBrowser(opts: { locks?: boolean; other?: SharedBrowser } = {}): SharedBrowser {
  return {
    clock: opts.other?.clock ?? new FakeClock(),
    locks: opts.locks === false ? null : new FakeLocks(),
    storage: new MemoryStorage(),
    server: opts.other?.server ?? new FakePhoneServer(),
    tag: `browser-${++browsers}`,
  };
}

/** One tab of the console with a signed-in seat and its phone controller (not yet started). */
export function phoneRig(
  browser: SharedBrowser = sharedBrowser(),
  opts: { unsupported?: string; tabStorage?: MemoryStorage } = {},
): PhoneRig {
  const store = createAppStore();
  store.getState().signedIn(user('seat'));
  const adapter = new FakeAdapter();
  const ringer = new FakeRinger();
  const devices = new FakeDevices();
  const network = new FakeNetwork();
  const tabStorage = opts.tabStorage ?? new MemoryStorage();
  const rig: PhoneRig = {
    store,
    adapter,
    ringer,
    devices,
    network,
    storage: browser.storage,
    tabStorage,
    answers: [() => ({ ok: true, data: credentials(browser.clock) })],
    fetches: 0,
    consoleId: `console-${++consoles}`,
    connected: true,
    releases: [],
    phone: null as unknown as PhoneController,
  };
  const server = browser.server;
  server.consoles.push({ seatId: 's01', onPush: (o) => rig.connected && rig.phone.ownerChanged(o) });
  rig.phone = createPhoneController({
    api: {
      sipCredentials: async (consoleId) => {
        if (server.owner && !server.owns(consoleId)) {
          rig.fetches++;
          return { ok: false, error: { code: 'CONFLICT', message: '此坐席的电话已转到另一台电脑,本机不再登记' } };
        }
        const answer = rig.answers[Math.min(rig.fetches, rig.answers.length - 1)]!;
        rig.fetches++;
        return answer();
      },
      claimPhone: async (consoleId, take) => server.claim(consoleId, browser.tag, take),
      releasePhone: async (consoleId, o) => {
        rig.releases.push({ keepalive: o?.keepalive === true });
        server.release(consoleId);
        return { ok: true, data: server.view() };
      },
    },
    consoleId: rig.consoleId,
    store,
    adapter,
    clock: browser.clock,
    locks: browser.locks,
    devices,
    ringer,
    network,
    storage: browser.storage,
    tabStorage,
    referTimeoutMs: 30_000,
    retryMinMs: 2_000,
    retryMaxMs: 60_000,
    unsupported: opts.unsupported ?? null,
  });
  return rig;
}

/** Starts the phone and brings its user agent up to 'registered'. */
export async function registered(rig: PhoneRig): Promise<FakeUa> {
  rig.phone.start();
  await flush();
  const ua = rig.adapter.last;
  ua.comeUp();
  return ua;
}

/** A registered phone with an answered call 'call-1'. */
export async function inCall(rig: PhoneRig): Promise<FakeUa> {
  const ua = await registered(rig);
  ua.ring('call-1');
  rig.phone.answer();
  ua.emit({ type: 'established', callId: 'call-1' });
  return ua;
}
