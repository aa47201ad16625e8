import type { Ack, CallbackRequestView } from '../../contract';
import { errorMessage, NETWORK_ERROR } from '../../shared/errors';
import type { SliceCreator } from '../../app/store-types';

/** How many callback requests the monitor keeps (newest first). */
export const CALLBACKS_SHOWN = 50;

export interface CallbacksSlice {
  /** 回电请求: the newest callback requests, newest first (open ones and any pushed since). */
  callbacks: CallbackRequestView[];
  callbacksError: string | null;
  /** A pushed request: new ones join the list, a changed one replaces its old self. */
  applyCallback: (request: CallbackRequestView) => void;
  /** Loads the open requests (GET /api/callbacks?status=open) and merges what was pushed meanwhile. */
  loadCallbacks: (send: () => Promise<Ack<CallbackRequestView[]>>) => Promise<void>;
}

export const initialCallbacksState = {
  callbacks: [] as CallbackRequestView[],
  callbacksError: null,
} satisfies Partial<CallbacksSlice>;

const newestFirst = (a: CallbackRequestView, b: CallbackRequestView) => b.createdAt - a.createdAt || b.id - a.id;

/** Requests name callers (masked) and their wait: the sign-out reset (resetAll) clears them. */
export const createCallbacksSlice: SliceCreator<CallbacksSlice> = (set, get) => ({
  ...initialCallbacksState,

  applyCallback: (request) =>
    set((s) => ({
      callbacks: [request, ...s.callbacks.filter((c) => c.id !== request.id)].sort(newestFirst).slice(0, CALLBACKS_SHOWN),
    })),

  loadCallbacks: async (send) => {
    let ack: Ack<CallbackRequestView[]>;
    try {
      ack = await send();
    } catch {
      ack = { ok: false, error: NETWORK_ERROR };
    }
    if (!ack.ok) {
      if (ack.error.code === 'UNAUTHENTICATED') get().signedOut(errorMessage(ack.error));
      else set({ callbacksError: `未能读取回电请求:${errorMessage(ack.error)}` });
      return;
    }
    const loaded = ack.data;
    set((s) => {
      const ids = new Set(loaded.map((c) => c.id));
      const pushedSince = s.callbacks.filter((c) => !ids.has(c.id));
      return { callbacks: [...loaded, ...pushedSince].sort(newestFirst).slice(0, CALLBACKS_SHOWN), callbacksError: null };
    });
  },
});
