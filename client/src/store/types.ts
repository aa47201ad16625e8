import type { StateCreator } from 'zustand';
import type { SessionSlice } from './session';
import type { SeatSlice } from './seat';
import type { QueueSlice } from './queue';
import type { KnowledgeSlice } from './knowledge';
import type { AlertsSlice } from './alerts';
import type { SummarySlice } from './summary';
import type { PhoneSlice } from './phone';
import type { TransferSlice } from './transfer';

export type AppState = SessionSlice & SeatSlice & QueueSlice & KnowledgeSlice & AlertsSlice & SummarySlice & PhoneSlice & TransferSlice;

/** A slice sees the whole bound store through set/get but declares only its own part. */
export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
