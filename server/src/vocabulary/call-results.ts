/** What became of a call (CallRecord.result; definitions in server/src/domain/call-record.ts). */
export const CALL_RESULTS = [
  'answered',
  'abandoned-in-queue',
  'abandoned-while-ringing',
  'overflowed-12345',
  'callback',
  'timed-out',
  'in-progress',
] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

export const CALL_RESULT_LABELS: Record<CallResult, string> = {
  answered: '已接通',
  'abandoned-in-queue': '排队中放弃',
  'abandoned-while-ringing': '振铃中放弃',
  'overflowed-12345': '转12345',
  callback: '转预约回电',
  'timed-out': '超时',
  'in-progress': '进行中',
};
