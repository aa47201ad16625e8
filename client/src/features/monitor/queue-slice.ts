import type { ApiError, QueueSnapshot } from '../../contract';
import { errorMessage } from '../../shared/errors';
import type { SliceCreator } from '../../app/store-types';

export interface QueueSlice {
  snapshot: QueueSnapshot | null;
  queueError: string | null;

  /** Applies a pushed or acked snapshot; an older one than shown is dropped. */
  applySnapshot: (snapshot: QueueSnapshot, receivedAt: number) => void;
  queueFailed: (error: ApiError) => void;
}

export const initialQueueState = {
  snapshot: null,
  queueError: null,
} satisfies Partial<QueueSlice>;

export const createQueueSlice: SliceCreator<QueueSlice> = (set, get) => ({
  ...initialQueueState,

  applySnapshot: (snapshot, receivedAt) => {
    const current = get().snapshot;
    if (current && snapshot.at < current.at) return;
    set({ snapshot, queueError: null });
    // The snapshot's `at` is the server's clock; wait times tick against it.
    get().noteServerTime(snapshot.at, receivedAt, 250);
  },

  queueFailed: (error) => {
    if (error.code === 'UNAUTHENTICATED') get().signedOut(errorMessage(error));
    else set({ queueError: errorMessage(error) });
  },
});
