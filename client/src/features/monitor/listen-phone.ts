import { createStore, useStore } from 'zustand';
import type { Ack, ListenChange, ListenEndReason, ListenPhoneCredentials, ListenView } from '../../contract';
import { errorMessage } from '../../shared/errors';
import type { PhoneAdapter, PhoneUa, PhoneUaEvent } from '../phone/types';
import type { SupervisionApi } from './supervision';

/** What the monitor shows of 监听. */
export interface ListenState {
  /** `elsewhere`: the supervisor's leg is on another page (another tab, or this page before a reload). */
  status: 'idle' | 'starting' | 'listening' | 'elsewhere';
  /** The call listened to (or being started). */
  callId: string | null;
  /** The seat on that call, for the bar's label. */
  seatId: string | null;
  /** Why the last attempt failed, or why listening ended; zh-CN. */
  note: string | null;
  noteIsError: boolean;
}

const IDLE: ListenState = { status: 'idle', callId: null, seatId: null, note: null, noteIsError: false };

/** 监听 on the monitor: its own small store (the page's listening phone lives only while the page is open). */
export const listenStore = createStore<ListenState>()(() => IDLE);
export const useListen = () => useStore(listenStore);

export interface ListenPhone {
  /** Registers the listening phone if needed, then asks the router to listen to `callId` (reason audited). */
  start(callId: string, seatId: string | null, note: string): Promise<Ack<unknown>>;
  /** 停止监听. */
  stop(): Promise<void>;
  /** The live queue says the call listened to is no longer talking: hang up. */
  callGone(): void;
  /** The monitor page closes: end the leg and un-register. */
  shutdown(): void;
  /** The server's word on the supervisor's leg ('listen:changed'): a leg of another page, or this page's ended. */
  sync(change: ListenChange): void;
  /** Asks the server for the supervisor's leg (the page opened, the socket reconnected). */
  refresh(): Promise<void>;
  /** 停止监听 of a leg another page holds. */
  stopElsewhere(): Promise<void>;
}

/** What the bar says when this page's leg ended without its own 停止监听. */
function endedHere(why: ListenEndReason | null, stopping: boolean): string {
  if (stopping || why === 'phone-hung-up') return '已停止监听';
  switch (why) {
    case 'stopped':
      return '监听已在另一个页面停止';
    case 'another-call':
      return '您已在另一个页面开始监听,本页的监听已结束';
    case 'call-ended':
      return '通话已结束,监听随之结束';
    case 'phone-gone':
      return '监听电话的连接已断开,监听已结束';
    case 'failed':
      return '监听中断(媒体连接失败)';
    default:
      return '监听已结束';
  }
}

/** What the bar says when the leg another page held ended. */
function endedElsewhere(why: ListenEndReason | null): string {
  switch (why) {
    case 'stopped':
      return '已停止监听';
    case 'call-ended':
      return '通话已结束,监听随之结束';
    case 'phone-gone':
      return '监听所在的页面已关闭或刷新,监听已结束';
    default:
      return '监听已结束';
  }
}

const REGISTER_TIMEOUT_MS = 10_000;
/** Fetch new credentials when these have less than this left. */
const RENEW_MARGIN_MS = 10 * 60_000;

/**
 * The supervisor's listening phone: a JsSIP user agent registered as `listen-u<user id>` with
 * credentials from GET /api/supervisor/listen/phone. It never dials and never opens a microphone:
 * it answers, receive-only, the INVITE Kamailio sends it for a listening leg the router started
 * for this page (From `listen@…`, only while a start is pending), and refuses anything else.
 * It sends the leg's BYE itself (Kamailio does not): on 停止监听, and when the live queue shows
 * the call is no longer talking (the router has ended the subscription by then).
 */
export function createListenPhone(deps: {
  api: SupervisionApi;
  loadAdapter: () => Promise<PhoneAdapter>;
  store?: typeof listenStore;
  setTimeout?: (f: () => void, ms: number) => unknown;
}): ListenPhone {
  const store = deps.store ?? listenStore;
  const later = deps.setTimeout ?? ((f: () => void, ms: number) => setTimeout(f, ms));
  let ua: PhoneUa | null = null;
  let creds: ListenPhoneCredentials | null = null;
  let registered = false;
  let waiters: ((ok: boolean, why?: string) => void)[] = [];
  /** The SIP Call-ID of the leg on this phone. */
  let sipCall: string | null = null;
  let lid: string | null = null;
  let accepting = false;
  let stopping = false;
  /** The supervisor's leg on another page, while the bar shows it (status `elsewhere`). */
  let foreignLid: string | null = null;

  const set = (p: Partial<ListenState>) => store.setState(p);
  const settle = (ok: boolean, why?: string) => {
    for (const w of waiters.splice(0)) w(ok, why);
  };

  function onEvent(ev: PhoneUaEvent): void {
    switch (ev.type) {
      case 'registered':
        registered = true;
        settle(true);
        return;
      case 'unregistered':
      case 'disconnected':
        registered = false;
        return;
      case 'registration-failed':
        registered = false;
        settle(false, `监听电话登记失败(${ev.status ?? ev.cause})`);
        return;
      case 'incoming':
        if (accepting && !sipCall && ev.remoteUser === 'listen') {
          sipCall = ev.callId;
          ua?.answer(ev.callId, { inputId: null, listenOnly: true });
        } else ua?.reject(ev.callId, 486, 'Busy Here');
        return;
      case 'ended':
        if (ev.callId !== sipCall) return;
        sipCall = null;
        lid = null;
        if (store.getState().status === 'listening') {
          set({ ...IDLE, note: stopping ? '已停止监听' : '通话已结束,监听随之结束', noteIsError: false });
        }
        stopping = false;
        return;
      default:
        return;
    }
  }

  async function ensureRegistered(): Promise<string | null> {
    const now = Date.now();
    if (!creds || creds.expiresAt - now < RENEW_MARGIN_MS) {
      const ack = await deps.api.listenPhone();
      if (!ack.ok) return errorMessage(ack.error);
      creds = ack.data;
      if (ua) {
        ua.setCredentials(creds.username, creds.password);
        registered = false;
        ua.register();
      }
    }
    if (!ua) {
      let adapter: PhoneAdapter;
      try {
        adapter = await deps.loadAdapter();
      } catch {
        return '监听电话模块未能加载,请刷新页面';
      }
      ua = adapter.createUa({ uri: creds.uri, wsUrl: creds.wsUrl, username: creds.username, password: creds.password }, onEvent);
      ua.start();
    }
    if (registered) return null;
    return new Promise<string | null>((resolve) => {
      let done = false;
      const finish = (ok: boolean, why?: string) => {
        if (done) return;
        done = true;
        resolve(ok ? null : (why ?? '监听电话未能登记'));
      };
      waiters.push(finish);
      later(() => finish(false, '监听电话未能登记(SIP 服务器无回应)'), REGISTER_TIMEOUT_MS);
    });
  }

  return {
    async start(callId, seatId, note) {
      if (store.getState().status === 'starting') return { ok: false, error: { code: 'CONFLICT', message: '正在建立监听,请稍候' } };
      if (lid) await this.stop();
      foreignLid = null; // the router ends the leg another page holds when this one starts
      set({ status: 'starting', callId, seatId, note: null, noteIsError: false });
      const problem = await ensureRegistered();
      if (problem) {
        set({ ...IDLE, note: problem, noteIsError: true });
        return { ok: false, error: { code: 'UNAVAILABLE', message: problem } };
      }
      accepting = true;
      const ack = await deps.api.listen(callId, note);
      accepting = false;
      if (!ack.ok) {
        if (sipCall) ua?.hangup(sipCall);
        sipCall = null;
        set({ ...IDLE, note: errorMessage(ack.error), noteIsError: true });
        return ack;
      }
      lid = ack.data.lid;
      set({ status: 'listening', callId, seatId: ack.data.seatId ?? seatId, note: null, noteIsError: false });
      return ack;
    },
    async stop() {
      const leg = lid;
      if (!leg) return;
      stopping = true;
      await deps.api.stopListen(leg);
      if (sipCall) ua?.hangup(sipCall);
      else {
        lid = null;
        set({ ...IDLE, note: '已停止监听', noteIsError: false });
      }
    },
    callGone() {
      if (store.getState().status !== 'listening') return;
      if (sipCall)
        ua?.hangup(sipCall); // 'ended' follows and says why
      else {
        lid = null;
        set({ ...IDLE, note: '通话已结束,监听随之结束', noteIsError: false });
      }
    },
    sync({ leg, ended }) {
      const status = store.getState().status;
      if (lid && leg?.lid !== lid && (!ended || ended.lid === lid)) {
        // This page's leg ended on the server (another page stopped it or listened elsewhere, the call ended).
        const call = sipCall;
        const note = endedHere(ended?.why ?? null, stopping);
        sipCall = null;
        lid = null;
        stopping = false;
        if (call) ua?.hangup(call);
        if (status === 'listening') set({ ...IDLE, note, noteIsError: false });
      }
      if (status === 'starting' || store.getState().status === 'starting') return;
      if (leg && leg.lid !== lid) {
        // Another page started it, registering its own listening phone under the same SIP user:
        // this page's registration no longer receives anything; it registers afresh next time.
        if (ua) {
          ua.stop();
          ua = null;
          registered = false;
        }
        foreignLid = leg.lid;
        set({ status: 'elsewhere', callId: leg.callId, seatId: leg.seatId, note: null, noteIsError: false });
      } else if (!leg && foreignLid) {
        const why = ended?.lid === foreignLid ? ended.why : null;
        foreignLid = null;
        if (store.getState().status === 'elsewhere') set({ ...IDLE, note: endedElsewhere(why), noteIsError: false });
      }
    },
    async refresh() {
      const asked = lid;
      const ack = await deps.api.myListen();
      // a start or stop on this page meanwhile: its own answer and the push say more than this reply
      if (!ack.ok || lid !== asked || store.getState().status === 'starting') return;
      this.sync({ leg: ack.data satisfies ListenView | null, ended: null });
    },
    async stopElsewhere() {
      const leg = foreignLid;
      if (!leg) return;
      const ack = await deps.api.stopListen(leg);
      if (!ack.ok) {
        set({ note: errorMessage(ack.error), noteIsError: true });
        return;
      }
      if (foreignLid !== leg) return; // the push came first
      foreignLid = null;
      set({ ...IDLE, note: ack.data.stopped ? '已停止监听' : '监听已结束', noteIsError: false });
    },
    shutdown() {
      if (lid) void deps.api.stopListen(lid);
      if (sipCall) ua?.hangup(sipCall);
      ua?.stop();
      ua = null;
      creds = null;
      registered = false;
      sipCall = null;
      lid = null;
      foreignLid = null;
      settle(false, '监听电话已关闭');
      waiters = [];
      store.setState(IDLE);
    },
  };
}

/** The monitor's one listening phone (JsSIP loaded on the first 监听). */
let instance: ListenPhone | null = null;
export function listenPhone(api: SupervisionApi): ListenPhone {
  instance ??= createListenPhone({ api, loadAdapter: () => import('../phone/jssip-adapter').then((m) => m.jssipAdapter) });
  return instance;
}
