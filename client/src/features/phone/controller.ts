import { maskNumber, type Ack, type ApiError, type SipCredentials } from '../../contract';
import { errorMessage } from '../../shared/errors';
import type { AppStore } from '../../app/store';
import { initialPhoneState, type PhoneState } from './slice';
import type {
  CallEnd,
  KeyValueStorage,
  LockManagerLike,
  MediaDevicesPort,
  NetworkPort,
  PhoneAdapter,
  PhoneClock,
  PhoneUa,
  PhoneUaEvent,
  Ringer,
} from './types';
import { assertNever } from '../../shared/assert-never';

export type TransferResult = { ok: true } | { ok: false; detail: string };

export interface PhoneApi {
  sipCredentials: () => Promise<Ack<SipCredentials>>;
}

export interface PhoneControllerDeps {
  api: PhoneApi;
  store: AppStore;
  adapter: PhoneAdapter;
  clock: PhoneClock;
  /** navigator.locks; null where the browser has none (then every tab registers). */
  locks: LockManagerLike | null;
  devices: MediaDevicesPort;
  ringer: Ringer;
  network: NetworkPort;
  /** localStorage: the chosen microphone and speaker. */
  storage: KeyValueStorage;
  /** sessionStorage: this tab's call, to say honestly after a reload that it was lost. */
  tabStorage: KeyValueStorage;
  /** How long a REFER may wait for its final NOTIFY. */
  referTimeoutMs?: number;
  /** Back-off of the phone's own retries (credentials, refused REGISTERs). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Why this browser cannot be a phone (no WebRTC), in zh-CN; the phone then only says so. */
  unsupported?: string | null;
}

export interface PhoneController {
  /** Starts the phone of the signed-in seat (no-op for other roles or when already started). */
  start(): void;
  /** Un-registers, releases the tab lock and forgets everything. */
  stop(): void;
  /**
   * The page is going away (pagehide): end the calls (BYE, so the router sees who hung up rather
   * than a call gone silent), un-register, release the phone for another tab, and remember the
   * call that was up so the next load of this tab can say it ended.
   */
  unload(): void;
  /** 在此页面使用电话: take the phone over from the other tab of this seat. */
  takeOver(): void;
  /** Try again now instead of waiting for the next automatic attempt. */
  retryNow(): void;
  answer(): void;
  /** 486 Busy Here: the router offers the call to the next seat. */
  decline(): void;
  hangup(): void;
  toggleMute(): void;
  toggleHold(): void;
  sendDtmf(digit: string): void;
  /**
   * Blind transfer (REFER) of the active call. Resolves when the NOTIFY sipfrag says 2xx (this
   * phone then leaves the call, as the transferor does), or fails on >= 300, a refused REFER or a
   * timeout; the caller stays connected when it fails.
   */
  refer(uri: string): Promise<TransferResult>;
  /**
   * Consultation: holds the caller and calls `uri`. Resolves once the consulted party answers;
   * when that call fails the caller is taken off hold again.
   */
  consult(uri: string): Promise<TransferResult>;
  /**
   * Ends the consultation call and takes the caller off hold; with `resume: false` the caller
   * stays on hold (it is about to be transferred: no re-INVITE crosses the REFER).
   */
  hangupConsult(opts?: { resume?: boolean }): void;
  selectInput(deviceId: string | null): void;
  selectOutput(deviceId: string | null): void;
  dismissNotice(): void;
}

const INPUT_KEY = 'hotline.phone.input';
const OUTPUT_KEY = 'hotline.phone.output';
const CALL_KEY = 'hotline.phone.call';
const lockName = (seatId: string) => `hotline-phone:${seatId}`;

const AUTH_STATUSES = new Set([401, 403, 407]);
const DTMF = /^[0-9*#A-D]$/;

/** Renew this long before the credentials expire: a fifth of their life, 1 to 10 minutes. */
export function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(10 * 60_000, Math.max(60_000, lifetimeMs / 5));
}

function endDetail(end: CallEnd): string {
  if (end.status) return `${end.status} ${end.cause}`;
  return end.cause;
}

/**
 * The seat's softphone: one user agent per tab that owns the seat's phone lock, registered with
 * credentials from the router, renewed before they expire, brought back after network trouble,
 * and the call controls. It writes only the store's `phone` slice; React reads that.
 *
 * Recovery, in layers:
 * - A lost WebSocket is JsSIP's job: it reconnects with its own randomised back-off and
 *   REGISTERs as soon as the socket is up. The slice says so meanwhile (connecting, attempt n).
 * - A refused REGISTER (credentials expired while offline, a restarted registrar) or credentials
 *   the router would not give: this controller retries with exponential back-off, fetching
 *   fresh credentials first when the refusal was about authentication.
 * - The browser coming back online: with no call up, a fresh user agent at once rather than
 *   waiting out JsSIP's back-off.
 * A call is never dropped to recover or renew: renewal swaps the credentials inside the running
 * user agent and re-REGISTERs the same contact.
 */
export function createPhoneController(deps: PhoneControllerDeps): PhoneController {
  const { api, store, adapter, clock, devices, ringer, network, storage, tabStorage } = deps;
  const referTimeoutMs = deps.referTimeoutMs ?? 30_000;
  const retryMinMs = deps.retryMinMs ?? 2_000;
  const retryMaxMs = deps.retryMaxMs ?? 60_000;

  let seatId: string | null = null;
  /** This tab holds the seat's phone lock. */
  let owned = false;
  let lockGen = 0;
  let releaseLock: (() => void) | null = null;
  let waitAbort: AbortController | null = null;

  let ua: PhoneUa | null = null;
  /** Bumped whenever the user agent is replaced or dropped: late events and fetches of an old one are ignored. */
  let uaGen = 0;
  let creds: SipCredentials | null = null;
  let renewTimer: unknown = null;
  let retryTimer: unknown = null;
  let retryAction: (() => void) | null = null;
  let failures = 0;
  let unsubscribers: (() => void)[] = [];

  let pendingRefer: ((r: TransferResult) => void) | null = null;
  let pendingConsult: ((r: TransferResult) => void) | null = null;
  /** The caller was put on hold by consult(), so the end of the consultation resumes them. */
  let heldForConsult = false;

  const phone = (): PhoneState => store.getState().phone;
  const patch = (p: Partial<PhoneState> | ((s: PhoneState) => Partial<PhoneState>)) => store.getState().phoneChanged(p);

  // ---- devices -------------------------------------------------------------------------------

  function savedChoice(key: string): string | null {
    try {
      return storage.getItem(key);
    } catch {
      return null;
    }
  }

  function saveChoice(key: string, id: string | null): void {
    try {
      if (id) storage.setItem(key, id);
      else storage.removeItem(key);
    } catch {
      // Private mode or a full quota: the choice lasts for this page only.
    }
  }

  async function refreshDevices(): Promise<void> {
    try {
      const list = await devices.list();
      if (!seatId) return;
      patch((s) => ({ devices: { ...s.devices, ...list } }));
    } catch {
      // enumerateDevices failing leaves the defaults, which still work.
    }
  }

  async function prepareDevices(): Promise<void> {
    const problem = await devices.prepare();
    if (!seatId) return;
    patch({ mediaError: problem });
    await refreshDevices();
  }

  // ---- tab lock ------------------------------------------------------------------------------

  /**
   * 'try' at start, 'wait' while another tab owns the phone (we take it when that tab closes or
   * stops), 'steal' on 在此页面使用. A stolen lock rejects the owner's request: it stops its user agent.
   */
  function claim(mode: 'try' | 'wait' | 'steal'): void {
    const seat = seatId;
    if (!seat) return;
    if (!deps.locks) {
      becomeOwner();
      return;
    }
    const gen = ++lockGen;
    waitAbort?.abort();
    waitAbort = null;
    let options: Parameters<LockManagerLike['request']>[1];
    if (mode === 'try') options = { mode: 'exclusive', ifAvailable: true };
    else if (mode === 'steal') options = { mode: 'exclusive', steal: true };
    else {
      waitAbort = new AbortController();
      options = { mode: 'exclusive', signal: waitAbort.signal };
    }
    let granted = false;
    deps.locks
      .request(lockName(seat), options, (lock) => {
        if (gen !== lockGen || seatId !== seat) return undefined; // stale: let it go at once
        if (lock === null) {
          otherTab(null);
          claim('wait');
          return undefined;
        }
        granted = true;
        return new Promise<void>((release) => {
          releaseLock = release;
          becomeOwner();
        });
      })
      .catch(() => {
        // An aborted wait (ours, on purpose) or, once granted, the lock stolen by another tab.
        if (gen !== lockGen || !granted) return;
        lostToOtherTab();
      });
  }

  function otherTab(notice: string | null): void {
    patch({ ...initialPhoneState, devices: phone().devices, online: phone().online, lostCallId: phone().lostCallId, registration: 'other-tab', notice });
  }

  function becomeOwner(): void {
    owned = true;
    failures = 0;
    patch({ registration: 'connecting', notice: null, error: null });
    void prepareDevices();
    connect();
  }

  function lostToOtherTab(): void {
    const hadCall = phone().active !== null || phone().incoming !== null;
    owned = false;
    releaseLock?.();
    releaseLock = null;
    dropUa();
    clearTimers();
    otherTab(hadCall ? '电话已被另一个标签页接管,本页的通话已结束' : '电话已被另一个标签页接管,本页已停止登记');
    claim('wait');
  }

  // ---- user agent ----------------------------------------------------------------------------

  function clearTimers(): void {
    if (renewTimer !== null) clock.clearTimeout(renewTimer);
    if (retryTimer !== null) clock.clearTimeout(retryTimer);
    renewTimer = null;
    retryTimer = null;
    retryAction = null;
  }

  /** Stops the user agent (its late events are ignored) and clears every call it had. */
  function dropUa(): void {
    uaGen++;
    const old = ua;
    ua = null;
    creds = null;
    ringer.stop();
    settleRefer({ ok: false, detail: '电话已停止,转接未完成' });
    settleConsult({ ok: false, detail: '电话已停止,咨询未完成' });
    heldForConsult = false;
    if (phone().active) forgetTabCall();
    patch({ incoming: null, active: null, consult: null, transferring: false });
    old?.stop();
  }

  function callUp(): boolean {
    const p = phone();
    return p.active !== null || p.incoming !== null || p.consult !== null;
  }

  /** A fresh user agent with fresh credentials. Never while a call is up. */
  function connect(): void {
    if (!owned) return;
    if (callUp()) return;
    dropUa();
    clearTimers();
    const gen = uaGen;
    patch({ registration: 'connecting', connection: 'connecting', retryAt: null });
    void api.sipCredentials().then(
      (ack) => {
        if (gen !== uaGen || !owned) return;
        if (!ack.ok) {
          credentialsRefused(ack.error, connect);
          return;
        }
        creds = ack.data;
        const next = adapter.createUa(
          { uri: creds.uri, wsUrl: creds.wsUrl, username: creds.username, password: creds.password },
          (ev) => {
            if (gen === uaGen) onUaEvent(ev);
          },
        );
        ua = next;
        next.setOutput(phone().devices.outputId);
        patch({ credentialsExpireAt: creds.expiresAt });
        scheduleRenewal(creds);
        next.start();
      },
      () => {
        if (gen === uaGen && owned) credentialsRefused({ code: 'INTERNAL', message: '' }, connect);
      },
    );
  }

  function credentialsRefused(error: ApiError, again: () => void): void {
    if (error.code === 'UNAUTHENTICATED') {
      patch({ registration: 'failed', error: '登录已失效,软电话已停止登记,请重新登录', retryAt: null });
      return;
    }
    if (error.code === 'FORBIDDEN') {
      patch({ registration: 'failed', error: errorMessage(error), retryAt: null });
      return;
    }
    patch({ registration: 'failed', error: `无法获取电话登记凭据:${errorMessage(error)}` });
    scheduleRetry(again);
  }

  function scheduleRetry(action: () => void): void {
    if (retryTimer !== null) clock.clearTimeout(retryTimer);
    failures++;
    const delay = Math.min(retryMaxMs, retryMinMs * 2 ** (failures - 1));
    retryAction = action;
    patch({ retryAt: clock.now() + delay });
    retryTimer = clock.setTimeout(() => {
      retryTimer = null;
      retryAction = null;
      patch({ retryAt: null });
      action();
    }, delay);
  }

  function scheduleRenewal(current: SipCredentials): void {
    if (renewTimer !== null) clock.clearTimeout(renewTimer);
    const now = clock.now();
    const lifetime = current.expiresAt - now;
    const delay = Math.max(30_000, lifetime - renewalMarginMs(lifetime));
    renewTimer = clock.setTimeout(() => {
      renewTimer = null;
      void renew(0);
    }, delay);
  }

  /**
   * New credentials into the running user agent and a REGISTER with them: the same contact, so
   * Kamailio replaces the binding, and a call in progress is not touched.
   */
  async function renew(attempt: number): Promise<void> {
    const gen = uaGen;
    const before = creds;
    const ack = await api.sipCredentials().catch((): Ack<SipCredentials> => ({ ok: false, error: { code: 'INTERNAL', message: '' } }));
    if (gen !== uaGen || !ua || !before) return;
    if (!ack.ok) {
      if (ack.error.code === 'UNAUTHENTICATED') {
        patch({ error: '登录已失效,电话登记到期后将无法接听来电,请重新登录' });
        return;
      }
      // Keep trying while the current credentials still hold.
      const delay = Math.min(5 * 60_000, 30_000 * 2 ** attempt);
      if (clock.now() + delay < before.expiresAt) {
        renewTimer = clock.setTimeout(() => {
          renewTimer = null;
          void renew(attempt + 1);
        }, delay);
      }
      return;
    }
    creds = ack.data;
    ua.setCredentials(creds.username, creds.password);
    ua.register();
    patch({ credentialsExpireAt: creds.expiresAt });
    // Credentials end with the login session; when they cannot last longer, renewing again is pointless.
    if (creds.expiresAt > before.expiresAt) scheduleRenewal(creds);
  }

  /** After a refused REGISTER: fresh credentials, then REGISTER again, in the same user agent. */
  function refreshAndRegister(): void {
    const gen = uaGen;
    void api.sipCredentials().then((ack) => {
      if (gen !== uaGen || !ua) return;
      if (!ack.ok) {
        credentialsRefused(ack.error, refreshAndRegister);
        return;
      }
      creds = ack.data;
      ua.setCredentials(creds.username, creds.password);
      patch({ credentialsExpireAt: creds.expiresAt, registration: 'registering' });
      scheduleRenewal(creds);
      ua.register();
    });
  }

  function onUaEvent(ev: PhoneUaEvent): void {
    switch (ev.type) {
      case 'connecting':
        patch((s) => ({ connection: 'connecting', registration: s.registration === 'failed' ? 'failed' : 'connecting', attempt: ev.attempt }));
        return;
      case 'connected':
        patch({ connection: 'connected', registration: 'registering', attempt: 0, retryAt: null });
        return;
      case 'disconnected':
        patch((s) => ({
          connection: 'disconnected',
          registration: 'connecting',
          error: s.online ? '与电话服务器的连接已断开,正在自动重新连接…' : '电脑网络已断开,网络恢复后软电话会自动重新登记',
        }));
        return;
      case 'registered':
        failures = 0;
        if (retryTimer !== null) clock.clearTimeout(retryTimer);
        retryTimer = null;
        retryAction = null;
        patch({ registration: 'registered', connection: 'connected', error: null, retryAt: null });
        return;
      case 'unregistered':
        if (ua?.isConnected()) {
          patch({ registration: 'registering' });
          ua.register();
        } else patch({ registration: 'connecting' });
        return;
      case 'registration-failed': {
        if (!ua?.isConnected()) {
          // The socket went away under the REGISTER: JsSIP reconnects and registers again.
          patch({ registration: 'connecting' });
          return;
        }
        const auth = (ev.status !== null && AUTH_STATUSES.has(ev.status)) || ev.cause === 'Authentication Error' || ev.cause === 'Rejected';
        const timedOut = ev.status === null && ev.cause === 'Request Timeout';
        patch({ registration: 'failed', error: timedOut ? '电话服务器没有响应登记请求,将自动重试' : `电话登记未成功(${ev.status ?? ev.cause}),将自动重试` });
        if (auth) scheduleRetry(refreshAndRegister);
        // No answer on a socket that still looks open (a laptop waking up): without a call, start afresh.
        else if (timedOut) scheduleRetry(() => (callUp() ? ua?.register() : connect()));
        else scheduleRetry(() => ua?.register());
        return;
      }
      case 'incoming':
        onIncoming(ev.callId, ev.remoteUser);
        return;
      case 'established':
        onEstablished(ev.callId);
        return;
      case 'ended':
        onEnded(ev.callId, ev.end);
        return;
      case 'hold':
        patch((s) => (s.active?.sipCallId === ev.callId ? { active: { ...s.active, held: ev.held, holdPending: false } } : {}));
        return;
      case 'muted':
        patch((s) => (s.active?.sipCallId === ev.callId ? { active: { ...s.active, muted: ev.muted } } : {}));
        return;
      case 'media-error':
        patch({ mediaError: ev.detail });
        return;
      default:
        assertNever(ev, 'phone event');
    }
  }

  // ---- calls ---------------------------------------------------------------------------------

  function rememberTabCall(callId: string): void {
    try {
      tabStorage.setItem(CALL_KEY, callId);
    } catch {
      /* best effort */
    }
  }

  function forgetTabCall(): void {
    try {
      tabStorage.removeItem(CALL_KEY);
    } catch {
      /* best effort */
    }
  }

  function onIncoming(callId: string, remoteUser: string): void {
    if (!ua) return;
    if (callUp()) {
      ua.reject(callId, 486, 'Busy Here');
      return;
    }
    patch({ incoming: { sipCallId: callId, remote: maskNumber(remoteUser), at: clock.now(), answering: false } });
    ringer.start(phone().devices.outputId);
  }

  function onEstablished(callId: string): void {
    const p = phone();
    if (p.incoming?.sipCallId === callId) {
      ringer.stop();
      rememberTabCall(callId);
      patch({ incoming: null, active: { sipCallId: callId, answeredAt: clock.now(), muted: false, held: false, holdPending: false }, lostCallId: null });
    } else if (p.consult?.sipCallId === callId) {
      patch({ consult: { ...p.consult, answeredAt: clock.now() } });
      const done = pendingConsult;
      pendingConsult = null;
      done?.({ ok: true });
    }
  }

  function onEnded(callId: string, end: CallEnd): void {
    const p = phone();
    if (p.incoming?.sipCallId === callId) {
      ringer.stop();
      const failedAnswer = p.incoming.answering && end.by !== 'remote';
      patch({ incoming: null, ...(failedAnswer ? { mediaError: `接听失败:${endDetail(end)}` } : {}) });
    } else if (p.active?.sipCallId === callId) {
      forgetTabCall();
      settleRefer({ ok: false, detail: '通话已结束,转接结果未知' });
      patch({ active: null });
    } else if (p.consult?.sipCallId === callId) {
      const failedBeforeAnswer = p.consult.answeredAt === null;
      patch({ consult: null });
      settleConsult({ ok: false, detail: failedBeforeAnswer ? `咨询呼叫未接通(${endDetail(end)})` : '咨询通话已结束' });
      resumeAfterConsult();
    }
  }

  function settleRefer(r: TransferResult): void {
    const done = pendingRefer;
    pendingRefer = null;
    done?.(r);
  }

  function settleConsult(r: TransferResult): void {
    const done = pendingConsult;
    pendingConsult = null;
    done?.(r);
  }

  function resumeAfterConsult(): void {
    if (!heldForConsult) return;
    heldForConsult = false;
    const active = phone().active;
    if (ua && active?.held) {
      patch({ active: { ...active, holdPending: true } });
      if (!ua.hold(active.sipCallId, false)) patch({ active: { ...active, holdPending: false } });
    }
  }

  function checkLostCall(): void {
    let lost: string | null = null;
    try {
      lost = tabStorage.getItem(CALL_KEY);
      tabStorage.removeItem(CALL_KEY);
    } catch {
      /* best effort */
    }
    if (lost) patch({ lostCallId: lost });
  }

  function onNetwork(online: boolean): void {
    patch((s) => ({
      online,
      ...(online ? {} : { error: '电脑网络已断开,网络恢复后软电话会自动重新登记' }),
      ...(online && s.error?.startsWith('电脑网络已断开') ? { error: null } : {}),
    }));
    if (!online || !owned) return;
    if (phone().registration === 'registered') {
      // The socket may have died silently while offline: a REGISTER finds out.
      ua?.register();
    } else if (!callUp()) {
      failures = 0;
      connect();
    }
  }

  const controller: PhoneController = {
    start() {
      const user = store.getState().user;
      if (!user || user.role !== 'seat' || !user.seatId) return;
      if (seatId === user.seatId) return;
      if (seatId) controller.stop();
      seatId = user.seatId;
      patch({
        ...initialPhoneState,
        online: network.isOnline(),
        devices: { ...initialPhoneState.devices, inputId: savedChoice(INPUT_KEY), outputId: savedChoice(OUTPUT_KEY) },
      });
      checkLostCall();
      if (deps.unsupported) {
        patch({ registration: 'failed', error: deps.unsupported });
        return;
      }
      unsubscribers = [network.onChange(onNetwork), devices.onChange(() => void refreshDevices())];
      claim('try');
    },

    stop() {
      if (!seatId) return;
      lockGen++;
      waitAbort?.abort();
      waitAbort = null;
      dropUa();
      clearTimers();
      forgetTabCall();
      releaseLock?.();
      releaseLock = null;
      owned = false;
      for (const u of unsubscribers) u();
      unsubscribers = [];
      seatId = null;
      store.getState().phoneReset();
    },

    unload() {
      if (!seatId) return;
      const up = phone().active?.sipCallId ?? null;
      controller.stop();
      if (up) rememberTabCall(up);
    },

    takeOver() {
      if (!seatId || owned) return;
      claim('steal');
    },

    retryNow() {
      if (!owned) return;
      const action = retryAction;
      if (action) {
        if (retryTimer !== null) clock.clearTimeout(retryTimer);
        retryTimer = null;
        retryAction = null;
        patch({ retryAt: null });
        action();
      } else if (phone().registration !== 'registered' && !callUp()) {
        connect();
      }
    },

    answer() {
      const incoming = phone().incoming;
      if (!ua || !incoming || incoming.answering) return;
      ringer.stop();
      patch({ incoming: { ...incoming, answering: true }, mediaError: null });
      ua.answer(incoming.sipCallId, { inputId: phone().devices.inputId });
    },

    decline() {
      const incoming = phone().incoming;
      if (!ua || !incoming) return;
      ringer.stop();
      patch({ incoming: null });
      ua.reject(incoming.sipCallId, 486, 'Busy Here');
    },

    hangup() {
      const { active, incoming, consult } = phone();
      if (!ua) return;
      if (!active && consult) {
        // The caller left during a consultation: 挂断 ends the consultation call that remains.
        controller.hangupConsult();
      } else if (active) {
        forgetTabCall();
        settleRefer({ ok: false, detail: '通话已挂断' });
        patch({ active: null });
        ua.hangup(active.sipCallId);
      } else if (incoming) {
        controller.decline();
      }
    },

    toggleMute() {
      const active = phone().active;
      if (!ua || !active) return;
      ua.mute(active.sipCallId, !active.muted);
    },

    toggleHold() {
      const active = phone().active;
      if (!ua || !active || active.holdPending) return;
      patch({ active: { ...active, holdPending: true } });
      if (!ua.hold(active.sipCallId, !active.held)) {
        patch((s) => (s.active ? { active: { ...s.active, holdPending: false }, mediaError: '通话正在协商,暂时无法保持,请稍后再试' } : {}));
      }
    },

    sendDtmf(digit) {
      const active = phone().active;
      if (!ua || !active || !DTMF.test(digit)) return;
      ua.sendDtmf(active.sipCallId, digit);
    },

    refer(uri) {
      const active = phone().active;
      if (!ua || !active) return Promise.resolve({ ok: false, detail: '没有可以转接的通话' });
      if (pendingRefer || phone().transferring) return Promise.resolve({ ok: false, detail: '上一次转接还在进行' });
      const callId = active.sipCallId;
      const agent = ua;
      patch({ transferring: true });
      return new Promise<TransferResult>((resolve) => {
        const timer = clock.setTimeout(() => settleRefer({ ok: false, detail: '转接超时:对方没有确认,来电方仍在通话中' }), referTimeoutMs);
        pendingRefer = (r) => {
          clock.clearTimeout(timer);
          patch({ transferring: false });
          resolve(r);
        };
        agent.refer(callId, uri, (outcome) => {
          if (!pendingRefer) return; // timed out or the call ended first
          if (!outcome.ok) {
            settleRefer({ ok: false, detail: `转接未成功(${outcome.status ?? outcome.cause}),来电方仍在通话中` });
            return;
          }
          settleRefer({ ok: true });
          // The transfer target has the caller now: the transferor leaves (RFC 5589).
          if (phone().active?.sipCallId === callId && ua === agent) {
            forgetTabCall();
            patch({ active: null });
            agent.hangup(callId);
          }
        });
      });
    },

    consult(uri) {
      const active = phone().active;
      if (!ua || !active) return Promise.resolve({ ok: false, detail: '没有正在进行的通话' });
      if (phone().consult || pendingConsult) return Promise.resolve({ ok: false, detail: '已有一个咨询通话' });
      if (!active.held && !active.holdPending) {
        patch({ active: { ...active, holdPending: true } });
        heldForConsult = ua.hold(active.sipCallId, true);
        if (!heldForConsult) {
          patch((s) => (s.active ? { active: { ...s.active, holdPending: false } } : {}));
          return Promise.resolve({ ok: false, detail: '通话正在协商,暂时无法保持来电方,请稍后再试' });
        }
      }
      const agent = ua;
      return new Promise<TransferResult>((resolve) => {
        pendingConsult = resolve;
        try {
          const callId = agent.call(uri, { inputId: phone().devices.inputId });
          patch({ consult: { sipCallId: callId, target: uri, startedAt: clock.now(), answeredAt: null } });
        } catch (err) {
          settleConsult({ ok: false, detail: `无法发起咨询呼叫(${err instanceof Error ? err.message : String(err)})` });
          resumeAfterConsult();
        }
      });
    },

    hangupConsult(opts = {}) {
      const consult = phone().consult;
      if (!ua || !consult) {
        if (opts.resume === false) heldForConsult = false;
        return;
      }
      patch({ consult: null });
      settleConsult({ ok: false, detail: '咨询呼叫已取消' });
      ua.hangup(consult.sipCallId);
      if (opts.resume === false) heldForConsult = false;
      else resumeAfterConsult();
    },

    selectInput(deviceId) {
      saveChoice(INPUT_KEY, deviceId);
      patch((s) => ({ devices: { ...s.devices, inputId: deviceId } }));
      ua?.setInput(deviceId);
    },

    selectOutput(deviceId) {
      saveChoice(OUTPUT_KEY, deviceId);
      patch((s) => ({ devices: { ...s.devices, outputId: deviceId } }));
      ua?.setOutput(deviceId);
      ringer.setOutput(deviceId);
    },

    dismissNotice() {
      patch({ notice: null, lostCallId: null });
    },
  };
  return controller;
}
