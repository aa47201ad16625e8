import { createStore, useStore, type StoreApi } from 'zustand';
import { createSessionSlice, initialSessionState } from '../features/session/slice';
import { createSeatSlice, initialSeatState } from '../features/workbench/slice';
import { createQueueSlice, initialQueueState } from '../features/monitor/queue-slice';
import { createKnowledgeSlice, initialKnowledgeState } from '../features/knowledge/slice';
import { createAlertsSlice, initialAlertsState } from '../features/monitor/alerts-slice';
import { createCallbacksSlice, initialCallbacksState } from '../features/monitor/callbacks-slice';
import { createSummarySlice, initialSummaryState } from '../features/summary/slice';
import { createPhoneSlice, initialPhoneState } from '../features/phone/slice';
import { createTransferSlice, initialTransferState } from '../features/transfer/slice';
import type { AppState } from './store-types';

export type { AppState } from './store-types';
export type AppStore = StoreApi<AppState>;

/** One bound store made of the features' slices. Tests make their own. */
export function createAppStore(): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createSessionSlice(...a),
    ...createSeatSlice(...a),
    ...createQueueSlice(...a),
    ...createKnowledgeSlice(...a),
    ...createAlertsSlice(...a),
    ...createCallbacksSlice(...a),
    ...createSummarySlice(...a),
    ...createPhoneSlice(...a),
    ...createTransferSlice(...a),

    resetAll: (notice = null) =>
      a[0]((s) => ({
        ...initialSessionState,
        ...initialSeatState,
        ...initialQueueState,
        ...initialKnowledgeState,
        ...initialAlertsState,
        ...initialCallbacksState,
        ...initialSummaryState,
        transfer: initialTransferState,
        phone: { ...initialPhoneState, devices: s.phone.devices },
        authStatus: 'anonymous',
        reference: s.reference,
        notice,
      })),
  }));
}

/** The app's store: React reads it through `useAppStore`, socket handlers call its actions. */
export const appStore = createAppStore();

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
