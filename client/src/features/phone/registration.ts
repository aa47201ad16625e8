import type { Ack, ApiError, SipCredentials } from '../../contract';
import { errorMessage } from '../../shared/errors';
import { assertNever } from '../../contract';
import type { PhoneCore } from './core';
import type { PhoneUaEvent } from './types';

const AUTH_STATUSES = new Set([401, 403, 407]);

/** Renew this long before the credentials expire: a fifth of their life, 1 to 10 minutes. */
export function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(10 * 60_000, Math.max(60_000, lifetimeMs / 5));
}

export type RegistrationEvent = Extract<
  PhoneUaEvent,
  { type: 'connecting' | 'connected' | 'disconnected' | 'registered' | 'unregistered' | 'registration-failed' }
>;

// Members are function properties, not methods: closures implement them (no `this`), and callers
// take them off the object (`const { phone, patch } = core`, `callUp: calls.callUp`).
export interface Registration {
  /** A fresh user agent with fresh credentials. Never while a call is up. */
  connect: () => void;
  /** Stops the user agent (its late events are ignored) and clears every call it had. */
  dropUa: () => void;
  clearTimers: () => void;
  /** Counting failures from zero again (a new owner, the network back). */
  resetFailures: () => void;
  onEvent: (ev: RegistrationEvent) => void;
  onNetwork: (online: boolean) => void;
  /** Try again now instead of waiting for the next automatic attempt. */
  retryNow: () => void;
}

export interface RegistrationHooks {
  /** This tab owns the seat's phone (tab-ownership.ts). */
  owned(): boolean;
  /** A call is ringing, up or being consulted (calls.ts). */
  callUp(): boolean;
  /** The user agent is going away: end what its calls were waiting for (calls.ts). */
  dropCalls(): void;
  /** Where the new user agent's events go (the controller's dispatch). */
  onUaEvent(ev: PhoneUaEvent): void;
  /** The router refused credentials to this console: another console holds the seat's phone. */
  onNotOwner(reason: string): void;
}

/**
 * Registration: one user agent per owning tab, registered with credentials from the router,
 * renewed before they expire, brought back after network trouble.
 *
 * Recovery, in layers:
 * - A lost WebSocket is JsSIP's job: it reconnects with its own randomised back-off and
 *   REGISTERs as soon as the socket is up. The slice says so meanwhile (connecting, attempt n).
 * - A refused REGISTER (credentials expired while offline, a restarted registrar) or credentials
 *   the router would not give: retried here with exponential back-off, fetching fresh
 *   credentials first when the refusal was about authentication.
 * - The browser coming back online: with no call up, a fresh user agent at once rather than
 *   waiting out JsSIP's back-off.
 * A call is never dropped to recover or renew: renewal swaps the credentials inside the running
 * user agent and re-REGISTERs the same contact.
 */
export function createRegistration(core: PhoneCore, hooks: RegistrationHooks): Registration {
  const { api, adapter, clock, consoleId } = core.deps;
  const credentials = () => api.sipCredentials(consoleId);
  const retryMinMs = core.deps.retryMinMs ?? 2_000;
  const retryMaxMs = core.deps.retryMaxMs ?? 60_000;
  const { phone, patch } = core;

  /** Bumped whenever the user agent is replaced or dropped: late events and fetches of an old one are ignored. */
  let uaGen = 0;
  let creds: SipCredentials | null = null;
  let renewTimer: unknown = null;
  let retryTimer: unknown = null;
  let retryAction: (() => void) | null = null;
  let failures = 0;

  function clearTimers(): void {
    if (renewTimer !== null) clock.clearTimeout(renewTimer);
    if (retryTimer !== null) clock.clearTimeout(retryTimer);
    renewTimer = null;
    retryTimer = null;
    retryAction = null;
  }

  function dropUa(): void {
    uaGen++;
    const old = core.ua;
    core.ua = null;
    creds = null;
    hooks.dropCalls();
    old?.stop();
  }

  function connect(): void {
    if (!hooks.owned()) return;
    if (hooks.callUp()) return;
    dropUa();
    clearTimers();
    const gen = uaGen;
    patch({ registration: 'connecting', connection: 'connecting', retryAt: null });
    void credentials().then(
      (ack) => {
        if (gen !== uaGen || !hooks.owned()) return;
        if (!ack.ok) {
          if (ack.error.code === 'CONFLICT') return hooks.onNotOwner(ack.error.message);
          credentialsRefused(ack.error, connect);
          return;
        }
        creds = ack.data;
        const next = adapter.createUa({ uri: creds.uri, wsUrl: creds.wsUrl, username: creds.username, password: creds.password }, (ev) => {
          if (gen === uaGen) hooks.onUaEvent(ev);
        });
        core.ua = next;
        next.setOutput(phone().devices.outputId);
        patch({ credentialsExpireAt: creds.expiresAt });
        scheduleRenewal(creds);
        next.start();
      },
      () => {
        if (gen === uaGen && hooks.owned()) credentialsRefused({ code: 'INTERNAL', message: '' }, connect);
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
    const ack = await credentials().catch((): Ack<SipCredentials> => ({ ok: false, error: { code: 'INTERNAL', message: '' } }));
    const ua = core.ua;
    if (gen !== uaGen || !ua || !before) return;
    if (!ack.ok) {
      if (ack.error.code === 'UNAUTHENTICATED') {
        patch({ error: '登录已失效,电话登记到期后将无法接听来电,请重新登录' });
        return;
      }
      if (ack.error.code === 'CONFLICT') return hooks.onNotOwner(ack.error.message);
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
    void credentials().then((ack) => {
      const ua = core.ua;
      if (gen !== uaGen || !ua) return;
      if (!ack.ok) {
        if (ack.error.code === 'CONFLICT') return hooks.onNotOwner(ack.error.message);
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

  function onEvent(ev: RegistrationEvent): void {
    const ua = core.ua;
    switch (ev.type) {
      case 'connecting':
        patch((s) => ({
          connection: 'connecting',
          registration: s.registration === 'failed' ? 'failed' : 'connecting',
          attempt: ev.attempt,
        }));
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
        patch({
          registration: 'failed',
          error: timedOut ? '电话服务器没有响应登记请求,将自动重试' : `电话登记未成功(${ev.status ?? ev.cause}),将自动重试`,
        });
        if (auth) scheduleRetry(refreshAndRegister);
        // No answer on a socket that still looks open (a laptop waking up): without a call, start afresh.
        else if (timedOut) scheduleRetry(() => (hooks.callUp() ? core.ua?.register() : connect()));
        else scheduleRetry(() => core.ua?.register());
        return;
      }
      default:
        assertNever(ev, 'registration event');
    }
  }

  function onNetwork(online: boolean): void {
    patch((s) => ({
      online,
      ...(online ? {} : { error: '电脑网络已断开,网络恢复后软电话会自动重新登记' }),
      ...(online && s.error?.startsWith('电脑网络已断开') ? { error: null } : {}),
    }));
    if (!online || !hooks.owned()) return;
    if (phone().registration === 'registered') {
      // The socket may have died silently while offline: a REGISTER finds out.
      core.ua?.register();
    } else if (!hooks.callUp()) {
      failures = 0;
      connect();
    }
  }

  return {
    connect,
    dropUa,
    clearTimers,
    resetFailures: () => {
      failures = 0;
    },
    onEvent,
    onNetwork,
    retryNow() {
      if (!hooks.owned()) return;
      const action = retryAction;
      if (action) {
        if (retryTimer !== null) clock.clearTimeout(retryTimer);
        retryTimer = null;
        retryAction = null;
        patch({ retryAt: null });
        action();
      } else if (phone().registration !== 'registered' && !hooks.callUp()) {
        connect();
      }
    },
  };
}
