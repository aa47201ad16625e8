import type { ApiError, ReferenceData, UserView } from '../../contract';
import { errorMessage } from '../../shared/errors';
import { resolveRoute, type Route } from '../../shared/routes';
import type { SliceCreator } from '../../app/store-types';

export type AuthStatus = 'checking' | 'anonymous' | 'authenticated';
export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline';

export interface LoginFormState {
  submitting: boolean;
  /** The headline error (401 message, rate limit, network). */
  message: string | null;
  /** Field → messages, from a VALIDATION error. */
  fields: Partial<Record<'username' | 'password', string[]>>;
}

export interface SessionSlice {
  authStatus: AuthStatus;
  user: UserView | null;
  reference: ReferenceData | null;
  connection: ConnectionStatus;
  route: Route;
  /** Server clock minus browser clock, so timers agree with the server's `since`/`until`. */
  clockOffsetMs: number;
  login: LoginFormState;
  /** Shown on the login page after an expired session or a logout. */
  notice: string | null;
  /**
   * This page signed in with a password (not a resumed session): a seat's phone then moves here
   * from another computer (one phone per seat); a reload only asks for it.
   */
  freshSignIn: boolean;

  signedIn: (user: UserView, requested?: Route | null, fresh?: boolean) => void;
  /** The session ended (logout, expiry, refusal): the store's one reset (resetAll). */
  signedOut: (notice?: string | null) => void;
  setAnonymous: () => void;
  setReference: (reference: ReferenceData) => void;
  setConnection: (connection: ConnectionStatus) => void;
  navigate: (route: Route) => void;
  noteServerTime: (serverAt: number, localAt: number, precisionMs: number) => void;
  loginStarted: () => void;
  loginFailed: (error: ApiError) => void;
}

const idleLogin: LoginFormState = { submitting: false, message: null, fields: {} };

export const initialSessionState = {
  authStatus: 'checking' as AuthStatus,
  user: null,
  reference: null,
  connection: 'idle' as ConnectionStatus,
  route: 'login' as Route,
  clockOffsetMs: 0,
  login: idleLogin,
  notice: null,
  freshSignIn: false,
} satisfies Partial<SessionSlice>;

export const createSessionSlice: SliceCreator<SessionSlice> = (set, get) => ({
  ...initialSessionState,

  signedIn: (user, requested = null, fresh = false) =>
    set({
      authStatus: 'authenticated',
      user,
      route: resolveRoute(user, requested),
      login: idleLogin,
      notice: null,
      freshSignIn: fresh,
    }),

  signedOut: (notice = null) => get().resetAll(notice),

  setAnonymous: () => set({ authStatus: 'anonymous', user: null, route: 'login' }),

  setReference: (reference) => set({ reference }),

  setConnection: (connection) => set({ connection }),

  navigate: (route) => set((s) => ({ route: resolveRoute(s.user, route) })),

  noteServerTime: (serverAt, localAt, precisionMs) =>
    set((s) => {
      const estimate = serverAt - localAt;
      // A coarse source (the HTTP Date header has 1 s resolution) must not undo a finer one.
      if (Math.abs(estimate - s.clockOffsetMs) <= precisionMs) return {};
      return { clockOffsetMs: estimate };
    }),

  loginStarted: () => set({ login: { submitting: true, message: null, fields: {} }, notice: null }),

  loginFailed: (error) =>
    set({
      login: {
        submitting: false,
        // Field errors speak for themselves; only add a headline when there is none.
        message: error.code === 'VALIDATION' && hasFieldErrors(error) ? null : errorMessage(error),
        fields: {
          username: error.fields?.username,
          password: error.fields?.password,
        },
      },
    }),
});

function hasFieldErrors(error: ApiError): boolean {
  return Object.values(error.fields ?? {}).some((list) => list.length > 0);
}
