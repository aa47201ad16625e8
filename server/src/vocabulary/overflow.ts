/** Where an overflowing call may go: shared with the city centre, sent to 12345, or turned into a callback request. */
export const OVERFLOW_TARGETS = ['city', '12345', 'callback'] as const;
export type OverflowTarget = (typeof OVERFLOW_TARGETS)[number];

/** Why a call overflowed (CallRecord.overflowTrigger). */
export const OVERFLOW_TRIGGERS = ['max-wait', 'no-seat', 'after-hours', 'offers-exhausted'] as const;
export type OverflowTrigger = (typeof OVERFLOW_TRIGGERS)[number];

/** How a supervisor reads a trigger (回电请求 list, call records). */
export const OVERFLOW_TRIGGER_LABELS: Record<OverflowTrigger, string> = {
  'max-wait': '排队超时',
  'no-seat': '无可接坐席',
  'after-hours': '非服务时间',
  'offers-exhausted': '多次振铃未接',
};

/**
 * A detail recorded with an overflow: `no-seat-with-language`: seats could take the call's
 * category, but none signed in speaks the caller's language.
 */
export const OVERFLOW_REASONS = ['no-seat-with-language'] as const;
export type OverflowReason = (typeof OVERFLOW_REASONS)[number];
