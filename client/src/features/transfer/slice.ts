import type { TransferTargets, TransferView } from '../../contract';
import type { SliceCreator } from '../../app/store-types';

/**
 * A transfer (转接) as this seat lives it:
 *
 *   idle ─► starting ─► referring ─────────────► done (the caller left for the target)
 *              │            └─ refused/timeout ─► failed (the caller is still here)
 *              └─(consult)► consulting ─► referring …
 *                               └─ cancel ─► idle (the caller is taken off hold)
 */
export type TransferPhase = 'idle' | 'starting' | 'consulting' | 'referring' | 'done' | 'failed';

export interface TransferSlice {
  transfer: {
    phase: TransferPhase;
    current: TransferView | null;
    /** What went wrong, zh-CN; the caller is still connected when this is set. */
    error: string | null;
    targets: TransferTargets | null;
    targetsError: string | null;
    /** Another seat is consulting this seat before transferring its caller here. */
    consultedBy: TransferView | null;
  };
  transferPhase: (phase: TransferPhase, patch?: { current?: TransferView | null; error?: string | null }) => void;
  setTransferTargets: (targets: TransferTargets | null, error?: string | null) => void;
  /** A 'transfer:updated' push: ours, or one naming this seat as its target. */
  applyTransfer: (t: TransferView, mySeatId: string | null) => void;
  resetTransfer: () => void;
}

export const initialTransferState: TransferSlice['transfer'] = {
  phase: 'idle',
  current: null,
  error: null,
  targets: null,
  targetsError: null,
  consultedBy: null,
};

export const createTransferSlice: SliceCreator<TransferSlice> = (set) => ({
  transfer: initialTransferState,
  transferPhase: (phase, patch = {}) =>
    set((s) => ({
      transfer: {
        ...s.transfer,
        phase,
        current: patch.current !== undefined ? patch.current : s.transfer.current,
        error: patch.error !== undefined ? patch.error : phase === 'failed' ? s.transfer.error : null,
      },
    })),
  setTransferTargets: (targets, error = null) => set((s) => ({ transfer: { ...s.transfer, targets, targetsError: error } })),
  applyTransfer: (t, mySeatId) =>
    set((s) => {
      if (t.fromSeatId === mySeatId) {
        return s.transfer.current?.id === t.id ? { transfer: { ...s.transfer, current: t } } : {};
      }
      if (t.targetSeatId === mySeatId && t.mode === 'consult') {
        if (t.state === 'pending') return { transfer: { ...s.transfer, consultedBy: t } };
        // settled: completed (the caller is on the way here), cancelled, refused or expired
        return s.transfer.consultedBy?.id === t.id ? { transfer: { ...s.transfer, consultedBy: null } } : {};
      }
      return {};
    }),
  resetTransfer: () =>
    set((s) => ({ transfer: { ...initialTransferState, targets: s.transfer.targets, consultedBy: s.transfer.consultedBy } })),
});
