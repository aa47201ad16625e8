import type { Ack } from '../../contract';
import { createJsonRequest } from '../../shared/json-request';

/**
 * The figures the monitor shows, as the duty manager's reports compute them (the reports
 * feature's GET /api/reports/live: server/src/domain/stats/figures.ts, one definition for both).
 * Only the fields read here; the server sends more.
 */
export interface LiveFigureSet {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  overflowed: number;
  answerRate: number | null;
  serviceLevel: number | null;
  asaSeconds: number | null;
  longestWaitSeconds: number | null;
  /** The seats' handle time ÷ (handle + ready time) in the window (docs/definitions.md). */
  occupancy?: number | null;
}

export interface LiveFiguresReply {
  at: number;
  thresholdS: number;
  sinceMidnight: LiveFigureSet;
  last15: LiveFigureSet;
  last30: LiveFigureSet;
  /** 满意率 of today's calls (the reports' definition); absent from an older server. */
  satisfaction?: { rated: number; answered: number; satisfactionRate: number | null; ratedShare: number | null };
}

/** The small interface the panel needs: swap the source without touching the page. */
export type LiveFiguresSource = () => Promise<Ack<LiveFiguresReply>>;

const request = createJsonRequest({ fetch: (input, init) => fetch(input, init) });
export const liveFiguresFromReports: LiveFiguresSource = () => request('GET', '/api/reports/live');

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
const secs = (v: number | null) => (v === null ? '—' : `${Math.round(v)} 秒`);

/** The rows of the figures table: label and how each window's value reads. */
export const FIGURE_ROWS: { label: string; value: (f: LiveFigureSet) => string }[] = [
  { label: '呼入', value: (f) => String(f.offered) },
  { label: '接通', value: (f) => String(f.answered) },
  { label: '接通率', value: (f) => pct(f.answerRate) },
  { label: '服务水平', value: (f) => pct(f.serviceLevel) },
  { label: '平均应答', value: (f) => secs(f.asaSeconds) },
  { label: '最长等待', value: (f) => secs(f.longestWaitSeconds) },
  { label: '放弃', value: (f) => `${f.abandoned}(短放弃 ${f.shortAbandoned})` },
  { label: '溢出', value: (f) => String(f.overflowed) },
  { label: '占用率', value: (f) => pct(f.occupancy ?? null) },
];
