import type { StateCreator } from 'zustand';
import type { SessionSlice } from '../features/session/slice';
import type { SeatSlice } from '../features/workbench/slice';
import type { QueueSlice } from '../features/monitor/queue-slice';
import type { KnowledgeSlice } from '../features/knowledge/slice';
import type { AlertsSlice } from '../features/monitor/alerts-slice';
import type { CallbacksSlice } from '../features/monitor/callbacks-slice';
import type { SummarySlice } from '../features/summary/slice';
import type { PhoneSlice } from '../features/phone/slice';
import type { TransferSlice } from '../features/transfer/slice';

export interface ResetAction {
  /**
   * The one sign-out reset: every slice back to its declared initial state, so nothing one user
   * saw (calls, summaries, alerts, searches) is shown to the next. Reference data and the chosen
   * audio devices are not personal and stay.
   */
  resetAll: (notice?: string | null) => void;
}

export type AppState = SessionSlice &
  SeatSlice &
  QueueSlice &
  KnowledgeSlice &
  AlertsSlice &
  CallbacksSlice &
  SummarySlice &
  PhoneSlice &
  TransferSlice &
  ResetAction;

/** A slice sees the whole bound store through set/get but declares only its own part. */
export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
