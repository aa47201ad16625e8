/** A seat's live states (the domain's seat state machine in server/src/domain/seat.ts moves between them). */
export const SEAT_STATE_KINDS = ['offline', 'ready', 'ringing', 'talking', 'wrap-up', 'not-ready'] as const;
export type SeatStateKind = (typeof SEAT_STATE_KINDS)[number];

/** zh-CN names of the seat states. */
export const SEAT_STATE_LABELS: Record<SeatStateKind, string> = {
  offline: '离线',
  ready: '就绪',
  ringing: '振铃',
  talking: '通话',
  'wrap-up': '话后整理',
  'not-ready': '示忙',
};
