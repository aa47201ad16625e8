import { createStore, useStore, type StoreApi } from 'zustand';
import { createSessionSlice } from './session';
import { createSeatSlice } from './seat';
import { createQueueSlice } from './queue';
import { createKnowledgeSlice } from './knowledge';
import { createAlertsSlice } from './alerts';
import { createSummarySlice } from './summary';
import { createPhoneSlice } from './phone';
import { createTransferSlice } from './transfer';
import type { AppState } from './types';

export type { AppState } from './types';
export type AppStore = StoreApi<AppState>;

/** One bound store made of the session, seat and queue slices. Tests make their own. */
export function createAppStore(): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createSessionSlice(...a),
    ...createSeatSlice(...a),
    ...createQueueSlice(...a),
    ...createKnowledgeSlice(...a),
    ...createAlertsSlice(...a),
    ...createSummarySlice(...a),
    ...createPhoneSlice(...a),
    ...createTransferSlice(...a),
  }));
}

/** The app's store: React reads it through `useAppStore`, socket handlers call its actions. */
export const appStore = createAppStore();

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
