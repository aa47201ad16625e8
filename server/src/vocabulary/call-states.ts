/** A call's states (the domain's call state machine in server/src/domain/call.ts moves between them). */
export const CALL_STATE_KINDS = ['queued', 'ringing', 'talking', 'wrap-up', 'ended', 'abandoned', 'overflowed', 'timed-out'] as const;
export type CallStateKind = (typeof CALL_STATE_KINDS)[number];

export const CALL_STATE_LABELS: Record<CallStateKind, string> = {
  queued: '排队中',
  ringing: '振铃',
  talking: '通话中',
  'wrap-up': '话后整理',
  ended: '已结束',
  abandoned: '放弃',
  overflowed: '溢出',
  'timed-out': '超时',
};
