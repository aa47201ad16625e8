import {
  CALLER_FLAG_LABELS,
  CALL_STATE_LABELS,
  NOT_READY_REASON_LABELS,
  SEAT_STATE_LABELS,
  type NotReadyReasonId,
  type ReferenceData,
  type SeatStateView,
} from '../contract';

/** zh-CN display helpers over the contract's vocabulary (named once, in the contract). */
export { CALLER_FLAG_LABELS, CALL_STATE_LABELS, NOT_READY_REASON_LABELS, SEAT_STATE_LABELS };
export type SeatStateKind = SeatStateView['kind'];

/** Reasons a seat may pick itself; `missed` is set by the engine only. */
export const SELECTABLE_NOT_READY_REASONS = ['meal', 'training', 'meeting', 'rest'] as const satisfies readonly NotReadyReasonId[];
export type SelectableNotReadyReason = (typeof SELECTABLE_NOT_READY_REASONS)[number];

export const GREEN_CHANNEL_FLAGS: readonly string[] = ['elderly', 'disabled'];

export function isGreenChannel(flags: readonly string[]): boolean {
  return flags.some((f) => GREEN_CHANNEL_FLAGS.includes(f));
}

export function flagLabel(flag: string): string {
  return (CALLER_FLAG_LABELS as Record<string, string>)[flag] ?? flag;
}

export function callStateLabel(kind: string): string {
  return (CALL_STATE_LABELS as Record<string, string>)[kind] ?? kind;
}

export function reasonLabel(reason: NotReadyReasonId, ref: ReferenceData | null): string {
  return ref?.notReadyReasons.find((r) => r.id === reason)?.label ?? NOT_READY_REASON_LABELS[reason];
}

export function categoryName(id: string, ref: ReferenceData | null): string {
  return ref?.categories.find((c) => c.id === id)?.name ?? id;
}

export function centreName(id: string, ref: ReferenceData | null): string {
  return ref?.centres.find((c) => c.id === id)?.name ?? id;
}

/** "离线", "示忙 · 用餐" … */
export function seatStateLabel(state: SeatStateView, ref: ReferenceData | null): string {
  const base = SEAT_STATE_LABELS[state.kind];
  return state.kind === 'not-ready' ? `${base} · ${reasonLabel(state.reason, ref)}` : base;
}
