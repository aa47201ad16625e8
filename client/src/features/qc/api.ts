import type { Ack, QcConfigInput, QcConfigView, QcDecisionInput, QcDetailView, QcItemKey, QcItemView, QcStatus } from '../../contract';
import type { JsonRequest } from '../../shared/api';

/** The 质检 requests (features/qc on the server). Pages keep their rows in component state. */
export interface QcApi {
  list: (status: QcStatus | 'all') => Promise<Ack<QcItemView[]>>;
  mine: () => Promise<Ack<QcItemView[]>>;
  detail: (callId: string) => Promise<Ack<QcDetailView>>;
  score: (
    callId: string,
    body: { scores: Partial<Record<QcItemKey, number>>; comment: string; formVersion: number },
  ) => Promise<Ack<QcDetailView>>;
  requestReview: (callId: string, reason: string) => Promise<Ack<QcDetailView>>;
  decide: (callId: string, body: QcDecisionInput) => Promise<Ack<QcDetailView>>;
  config: () => Promise<Ack<QcConfigView>>;
  saveConfig: (body: QcConfigInput) => Promise<Ack<QcConfigView>>;
}

export function createQcApi(request: JsonRequest): QcApi {
  const id = (callId: string) => encodeURIComponent(callId);
  return {
    list: (status) => request<QcItemView[]>('GET', `/api/qc/items?status=${status}`),
    mine: () => request<QcItemView[]>('GET', '/api/qc/mine'),
    detail: (callId) => request<QcDetailView>('GET', `/api/qc/items/${id(callId)}`),
    score: (callId, body) => request<QcDetailView>('POST', `/api/qc/items/${id(callId)}/score`, body),
    requestReview: (callId, reason) => request<QcDetailView>('POST', `/api/qc/items/${id(callId)}/review`, { reason }),
    decide: (callId, body) => request<QcDetailView>('POST', `/api/qc/items/${id(callId)}/decision`, body),
    config: () => request<QcConfigView>('GET', '/api/qc/config'),
    saveConfig: (body) => request<QcConfigView>('PUT', '/api/qc/config', body),
  };
}
