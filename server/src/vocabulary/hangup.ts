/** Who ended a call (CallRecord.hungUpBy, the `hung-up` call event); supervisor: 强拆. */
export const HANGUP_SIDES = ['caller', 'seat', 'system', 'supervisor'] as const;
export type HangupSide = (typeof HANGUP_SIDES)[number];

export const HUNG_UP_BY_LABELS: Record<HangupSide, string> = {
  caller: '来电人',
  seat: '坐席',
  system: '系统',
  supervisor: '班长强拆',
};
