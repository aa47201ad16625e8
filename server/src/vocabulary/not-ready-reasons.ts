/**
 * Not-ready reasons (小休/示忙). `missed` is set by the engine after a missed offer; `consult`
 * holds a seat that another seat is consulting before a transfer (咨询转接).
 */
export const NOT_READY_REASONS = ['meal', 'training', 'meeting', 'rest', 'missed', 'consult'] as const;
export type NotReadyReason = (typeof NOT_READY_REASONS)[number];

export const NOT_READY_REASON_LABELS: Record<NotReadyReason, string> = {
  meal: '用餐',
  training: '培训',
  meeting: '会议',
  rest: '小休',
  missed: '未接来电',
  consult: '咨询转接',
};
