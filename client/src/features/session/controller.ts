import type { Api } from '../../shared/api';
import { LoginRequestSchema, type Ack, type ApiError, type SeatView, type UserView } from '../../contract';
import { DISCONNECTED_ERROR } from '../../shared/errors';

const SESSION_EXPIRED = '登录已失效,请重新登录';
/** Signed out on a computer whose seat's phone had moved to another one. */
export const SIGNED_OUT_PHONE_ELSEWHERE = '您已在本机退出登录。此坐席的电话在另一台电脑上,坐席状态未改变,那台电脑照常接听。';
import type { SelectableNotReadyReason } from '../../shared/labels';
import type { Route } from '../../shared/routes';
import { emitAck, type AckDataOf, type CommandEvent, type HotlineSocket, type PayloadOf } from '../../shared/socket';
import type { AppStore } from '../../app/store';
import type { SeatCommand } from '../workbench/slice';

export interface SessionDeps {
  api: Api;
  store: AppStore;
  makeSocket: () => HotlineSocket;
  /** Wires the socket's pushes to the store (app/socket-bindings.ts); returns the unbind. */
  bindPushes: (socket: HotlineSocket, hooks: { onRefused: () => void }) => () => void;
  /** Delay before reconnecting after a refusal that was not an expired session. */
  retryMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
}

export interface SessionController {
  /** On page load: resume the session the cookie still holds, if any. */
  bootstrap: (requested: Route | null) => Promise<void>;
  login: (form: { username: string; password: string }, requested: Route | null) => Promise<void>;
  logout: () => Promise<void>;
  setReady: () => Promise<void>;
  setNotReady: (reason: SelectableNotReadyReason) => Promise<void>;
  goOffline: () => Promise<void>;
  extendWrapUp: () => Promise<void>;
  endWrapUp: () => Promise<void>;
  /** Any other socket command (transfers), answered by its Ack; a lost connection is an error Ack. */
  command: <E extends CommandEvent>(event: E, payload: PayloadOf<E>) => Promise<Ack<AckDataOf<E>>>;
}

/** Turns zod issues into the server's VALIDATION shape, so both show the same way. */
export function validateLogin(form: { username: string; password: string }): ApiError | null {
  const parsed = LoginRequestSchema.safeParse(form);
  if (parsed.success) return null;
  const fields: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '');
    (fields[key] ??= []).push(issue.message);
  }
  return { code: 'VALIDATION', message: '请检查输入', fields };
}

/**
 * The session's life: login, the socket that lives exactly as long as the login, logout, and
 * the seat commands. React calls these; they talk to the server and the store, never to React.
 */
export function createSessionController(deps: SessionDeps): SessionController {
  const { api, store } = deps;
  const retryMs = deps.retryMs ?? 3_000;
  const later = deps.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
  let socket: HotlineSocket | null = null;
  let unbind: (() => void) | null = null;

  function closeSocket(): void {
    unbind?.();
    socket?.disconnect();
    socket = null;
    unbind = null;
  }

  function openSocket(): void {
    closeSocket();
    const s = deps.makeSocket();
    socket = s;
    unbind = deps.bindPushes(s, { onRefused: () => void recheck(s) });
    // Labels come from reference data; if the first load failed, try again on each (re)connect.
    s.on('connect', () => {
      if (!store.getState().reference) void loadReference();
    });
    store.getState().setConnection('connecting');
    s.connect();
  }

  /** After a refusal: an expired session goes to the login page, anything else retries. */
  async function recheck(s: HotlineSocket): Promise<void> {
    const ack = await api.me();
    if (socket !== s) return; // logged out or replaced meanwhile
    if (!ack.ok && ack.error.code === 'UNAUTHENTICATED') {
      closeSocket();
      // The server says "请先登录"; to someone who was logged in, it is an expired session.
      store.getState().signedOut(SESSION_EXPIRED);
      return;
    }
    later(() => {
      if (socket === s && !s.connected) s.connect();
    }, retryMs);
  }

  async function loadReference(): Promise<void> {
    const ref = await api.reference();
    if (ref.ok) store.getState().setReference(ref.data);
  }

  async function start(user: UserView, requested: Route | null, fresh = false): Promise<void> {
    store.getState().signedIn(user, requested, fresh);
    openSocket();
    await loadReference();
  }

  /** One seat command through the store, so pending and errors show the same way for all. */
  async function seatCommand(command: SeatCommand, send: (s: HotlineSocket) => Promise<Ack<SeatView>>): Promise<void> {
    await store
      .getState()
      .runSeatCommand(command, () => (socket ? send(socket) : Promise.resolve({ ok: false, error: DISCONNECTED_ERROR })));
  }

  return {
    async bootstrap(requested) {
      const ack = await api.me();
      if (ack.ok) await start(ack.data.user, requested);
      else store.getState().setAnonymous();
    },

    async login(form, requested) {
      const st = store.getState();
      if (st.login.submitting) return;
      const invalid = validateLogin(form);
      if (invalid) {
        st.loginFailed(invalid);
        return;
      }
      st.loginStarted();
      const ack = await api.login({ username: form.username.trim(), password: form.password });
      if (ack.ok) await start(ack.data.user, requested, true);
      else store.getState().loginFailed(ack.error);
    },

    async logout() {
      const { seat, phone } = store.getState();
      // The seat's phone is on another computer: signing out here ends only this session and
      // leaves the seat's state to that computer.
      const phoneElsewhere = phone.registration === 'elsewhere';
      // Leave the queue cleanly; a talking seat cannot go offline (the page disables logout then).
      if (socket && seat && !phoneElsewhere && seat.state.kind !== 'offline' && seat.state.kind !== 'talking') {
        await emitAck(socket, 'seat:set-status', { status: 'offline' }, 3_000);
      }
      closeSocket();
      await api.logout();
      store.getState().signedOut(phoneElsewhere ? SIGNED_OUT_PHONE_ELSEWHERE : '您已退出登录');
    },

    setReady: () => seatCommand('ready', (s) => emitAck(s, 'seat:set-status', { status: 'ready' })),
    setNotReady: (reason) => seatCommand('not-ready', (s) => emitAck(s, 'seat:set-status', { status: 'not-ready', reason })),
    goOffline: () => seatCommand('offline', (s) => emitAck(s, 'seat:set-status', { status: 'offline' })),
    extendWrapUp: () => seatCommand('extend', (s) => emitAck(s, 'seat:extend-wrap-up', {})),
    endWrapUp: () => seatCommand('end', (s) => emitAck(s, 'seat:end-wrap-up', {})),
    command: (event, payload) => (socket ? emitAck(socket, event, payload) : Promise.resolve({ ok: false, error: DISCONNECTED_ERROR })),
  };
}
