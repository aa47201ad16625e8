/**
 * Who ended a call (CallRecord.hungUpBy, the `hung-up` call event); supervisor: 强拆; seat-lost:
 * the router, because the seat's console was gone for the disconnect grace mid-call.
 */
export const HANGUP_SIDES = ['caller', 'seat', 'system', 'supervisor', 'seat-lost'] as const;
export type HangupSide = (typeof HANGUP_SIDES)[number];

export const HUNG_UP_BY_LABELS: Record<HangupSide, string> = {
  caller: '来电人',
  seat: '坐席',
  system: '系统',
  supervisor: '班长强拆',
  'seat-lost': '坐席掉线',
};
