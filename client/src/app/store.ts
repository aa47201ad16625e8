import { createStore, useStore, type StoreApi } from 'zustand';
import { createSessionSlice } from '../features/session/slice';
import { createSeatSlice } from '../features/workbench/slice';
import { createQueueSlice } from '../features/monitor/queue-slice';
import { createKnowledgeSlice } from '../features/knowledge/slice';
import { createAlertsSlice } from '../features/monitor/alerts-slice';
import { createSummarySlice } from '../features/summary/slice';
import { createPhoneSlice } from '../features/phone/slice';
import { createTransferSlice } from '../features/transfer/slice';
import type { AppState } from './store-types';

export type { AppState } from './store-types';
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
