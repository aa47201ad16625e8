/** Caller flags that the trunk passes (X-Caller-Flags); elderly and disabled take the green channel. */
export const CALLER_FLAGS = [
  'elderly',
  'disabled',
  'minor',
  'women',
  'migrant-worker',
  'military',
  'callback',
  'foreign-language',
] as const;
export type CallerFlag = (typeof CALLER_FLAGS)[number];

export const CALLER_FLAG_LABELS: Record<CallerFlag, string> = {
  elderly: '老年人',
  disabled: '残疾人',
  minor: '未成年人',
  women: '妇女',
  'migrant-worker': '农民工',
  military: '军人军属',
  callback: '预约回电',
  'foreign-language': '外语',
};
