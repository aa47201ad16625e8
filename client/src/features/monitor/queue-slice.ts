import type { ApiError, QueueDelta, QueueSnapshot } from '../../contract';
import { errorMessage } from '../../shared/errors';
import type { SliceCreator } from '../../app/store-types';
import { applyQueueDelta } from './queue-delta';

export interface QueueSlice {
  snapshot: QueueSnapshot | null;
  queueError: string | null;

  /** Applies a pushed or acked snapshot; an older unnumbered one than shown is dropped. */
  applySnapshot: (snapshot: QueueSnapshot, receivedAt: number) => void;
  /** Applies a pushed delta; false when one was missed (the caller then subscribes again). */
  applyQueueDelta: (delta: QueueDelta, receivedAt: number) => boolean;
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
    // A numbered snapshot answers our own subscribe (deltas follow from it): always taken.
    if (current && snapshot.seq === undefined && snapshot.at < current.at) return;
    set({ snapshot, queueError: null });
    // The snapshot's `at` is the server's clock; wait times tick against it.
    get().noteServerTime(snapshot.at, receivedAt, 250);
  },

  applyQueueDelta: (delta, receivedAt) => {
    const next = applyQueueDelta(get().snapshot, delta);
    if (next === 'gap') return false;
    if (next === 'stale') return true;
    set({ snapshot: next, queueError: null });
    get().noteServerTime(delta.at, receivedAt, 250);
    return true;
  },

  queueFailed: (error) => {
    if (error.code === 'UNAUTHENTICATED') get().signedOut(errorMessage(error));
    else set({ queueError: errorMessage(error) });
  },
});
