import type { KnowledgeHit, MajorAlert } from '../../../client/src/contract';
import { T0, requestUrl } from './fixtures';

export function hit(over: Partial<KnowledgeHit> = {}): KnowledgeHit {
  return {
    id: 1,
    categoryId: 'labor',
    question: '公司拖欠工资怎么办?',
    answer: '劳动者可以先与用人单位协商,协商不成的,可以向劳动监察大队投诉,或者申请劳动仲裁。',
    legalBasis: '《中华人民共和国劳动合同法》第三十条',
    keywords: ['欠薪', '拖欠工资'],
    version: 1,
    updatedAt: T0,
    updatedBy: '李班长',
    snippet: '劳动者可以先与用人单位协商,协商不成的,可以申请【劳动仲裁】。',
    ...over,
  };
}

export function majorAlert(over: Partial<MajorAlert> = {}): MajorAlert {
  return {
    id: 1,
    callId: 'c1',
    seatId: 's01',
    seatName: '张律师',
    categoryId: 'labor',
    callerMasked: '138****1234',
    note: '来电人称 30 余名工友被拖欠工资,准备明天到市政府聚集',
    raisedAt: T0,
    acknowledgedAt: null,
    acknowledgedBy: null,
    ...over,
  };
}

export interface FetchCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}
export type FetchReply = { status?: number; body: unknown } | Promise<{ status?: number; body: unknown }>;

/** A stand-in for the server behind `fetch`: records each request and answers through `handler`. */
export function fakeFetch(handler: (call: FetchCall) => FetchReply) {
  const calls: FetchCall[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(requestUrl(input), 'http://console.test');
    const call: FetchCall = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const reply = await handler(call);
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch, calls };
}

export const okBody = <T>(data: T) => ({ body: { ok: true, data } });
export const errBody = (status: number, code: string, message: string, fields?: Record<string, string[]>) => ({
  status,
  body: { ok: false, error: { code, message, ...(fields ? { fields } : {}) } },
});
