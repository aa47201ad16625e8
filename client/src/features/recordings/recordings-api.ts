import type { Ack, CallSummaryView, RecordingPauseResult, RecordingStorageView, RecordingSweepResult, RecordingView } from '../../contract';
import { createJsonRequest, type JsonRequest } from '../../shared/json-request';

/** The recordings API (docs/recordings.md): the one module of this feature that calls the server. */
export interface RecordingsApi {
  view(callId: string): Promise<Ack<RecordingView>>;
  setPaused(callId: string, paused: boolean): Promise<Ack<RecordingPauseResult>>;
  storage(): Promise<Ack<RecordingStorageView>>;
  sweep(): Promise<Ack<RecordingSweepResult>>;
  /** The call record beside the player: its events (offered, answered, held, resumed, transferred). */
  call(callId: string): Promise<Ack<CallBeside>>;
  /** The call's summary; a 保密 one with the reason for reading it (audited). */
  summary(callId: string, reason?: string): Promise<Ack<{ summary: CallSummaryView | null }>>;
}

/** What the page shows of a call next to its recording (GET /api/calls/:id). */
export interface CallBeside {
  id: string;
  caller: string;
  events: { type: string; at: number; seatId?: string }[];
}

export const audioUrl = (callId: string) => `/api/calls/${encodeURIComponent(callId)}/recording/audio`;
export const downloadUrl = (callId: string, reason: string) => `${audioUrl(callId)}?download=1&reason=${encodeURIComponent(reason)}`;

export function createRecordingsApi(request: JsonRequest): RecordingsApi {
  const call = (id: string) => `/api/calls/${encodeURIComponent(id)}/recording`;
  return {
    view: (id) => request<RecordingView>('GET', call(id)),
    setPaused: (id, paused) => request<RecordingPauseResult>('POST', `${call(id)}/${paused ? 'pause' : 'resume'}`),
    storage: () => request<RecordingStorageView>('GET', '/api/recordings/storage'),
    sweep: () => request<RecordingSweepResult>('POST', '/api/recordings/retention/sweep'),
    call: (id) => request<CallBeside>('GET', `/api/calls/${encodeURIComponent(id)}`),
    summary: (id, reason) =>
      request<{ summary: CallSummaryView | null }>(
        'GET',
        `/api/calls/${encodeURIComponent(id)}/summary${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`,
      ),
  };
}

let shared: RecordingsApi | null = null;
/** The browser's instance (components take another one in tests). */
export const defaultRecordingsApi = (): RecordingsApi =>
  (shared ??= createRecordingsApi(createJsonRequest({ fetch: (...a) => window.fetch(...a) })));
