/** Threshold alerts on the supervisor's monitor (告警): what may fire, its limits, and an alert as shown. */
import { z } from 'zod';

const limit = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label}必须是数字` })
    .int(`${label}必须是整数`)
    .min(min, `${label}不能小于 ${min}`)
    .max(max, `${label}不能大于 ${max}`);
const rule = <T extends z.ZodRawShape>(shape: T) => z.object({ enabled: z.boolean({ error: '请选择是否启用' }), ...shape }).strict();

/** PUT /api/alert-thresholds: each rule on or off with its limit. */
export const AlertThresholdsSchema = z
  .object({
    /** Callers waiting in one centre's queue. */
    queueLength: rule({ limit: limit('排队数', 1, 500) }),
    /** Longest wait in seconds. */
    longestWait: rule({ limitS: limit('最长等待秒数', 5, 3600) }),
    /** Service level (answered within the answer target) over the last `windowMin` minutes, in percent. */
    serviceLevel: rule({
      targetPct: limit('服务水平目标', 1, 100),
      windowMin: limit('统计时长', 5, 240),
      minCalls: limit('最少来电数', 1, 1000),
    }),
    /** Offers a seat missed within the missed-offer window (the routing configuration's). */
    missedOffers: rule({ limit: limit('未接次数', 1, 20) }),
    /** A call in progress longer than this many minutes. */
    longCall: rule({ limitMin: limit('通话分钟数', 1, 240) }),
    /** Wrap-up this many seconds past its time. */
    wrapUpOverdue: rule({ limitS: limit('超时秒数', 0, 3600) }),
    /** Answered calls of today without a filed summary, per seat. */
    unfiledSummaries: rule({ limit: limit('未填小结条数', 1, 100) }),
  })
  .strict();
export type AlertThresholds = z.infer<typeof AlertThresholdsSchema>;

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  queueLength: { enabled: true, limit: 5 },
  longestWait: { enabled: true, limitS: 60 },
  serviceLevel: { enabled: true, targetPct: 80, windowMin: 30, minCalls: 10 },
  missedOffers: { enabled: true, limit: 2 },
  longCall: { enabled: true, limitMin: 30 },
  wrapUpOverdue: { enabled: true, limitS: 60 },
  unfiledSummaries: { enabled: true, limit: 1 },
};

/** The threshold rules, and `storageFull`: the database cannot be written (no threshold: always on). */
export type LiveAlertKind = keyof AlertThresholds | 'storageFull';

/** The centre of an alert about the whole hotline (the storage alarm): every supervisor sees it. */
export const HOTLINE_WIDE = '*';

/** Whether a user who sees the centres `sees` accepts sees this alert. */
export const alertInScope = (a: { centreId: string }, sees: (centreId: string) => boolean): boolean =>
  a.centreId === HOTLINE_WIDE || sees(a.centreId);

export const LIVE_ALERT_LABELS: Record<LiveAlertKind, string> = {
  queueLength: '排队过多',
  longestWait: '等待过久',
  serviceLevel: '服务水平低于目标',
  missedOffers: '坐席多次未接',
  longCall: '通话过长',
  wrapUpOverdue: '话后整理超时',
  unfiledSummaries: '小结未填',
  storageFull: '存储故障',
};

/** An alert while its condition holds; it leaves the list once the condition clears. */
export interface LiveAlert {
  /** Stable while the condition holds, e.g. `longestWait:city`, `longCall:<callId>`. */
  key: string;
  kind: LiveAlertKind;
  /** The centre it concerns (a seat's or a call's home centre). */
  centreId: string;
  /** zh-CN sentence, e.g. "市中心 最长等待 01:25(阈值 60 秒)". */
  text: string;
  since: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}
