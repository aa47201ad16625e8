/** Where an overflowing call may go: shared with the city centre, sent to 12345, or turned into a callback request. */
export const OVERFLOW_TARGETS = ['city', '12345', 'callback'] as const;
export type OverflowTarget = (typeof OVERFLOW_TARGETS)[number];

/** Why a call overflowed (CallRecord.overflowTrigger). */
export const OVERFLOW_TRIGGERS = ['max-wait', 'no-seat', 'after-hours', 'offers-exhausted'] as const;
export type OverflowTrigger = (typeof OVERFLOW_TRIGGERS)[number];
