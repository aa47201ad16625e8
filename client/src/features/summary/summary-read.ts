import { CONFIDENTIAL_READ_REASON_MIN, CONFIDENTIAL_READ_REFUSAL, type Ack, type ApiError, type CallSummaryView } from '../../contract';
import { errorMessage } from '../../shared/errors';

/** GET /api/calls/:id/summary as a staff page calls it, with the reason for a 保密 summary when there is one. */
export type LoadSummary = (callId: string, reason?: string) => Promise<Ack<{ summary: CallSummaryView | null }>>;

/** Where reading one call's summary stands. */
export type SummaryRead =
  | { kind: 'loading' }
  | { kind: 'loaded'; summary: CallSummaryView | null }
  /** 保密: the server wants a reason (audited); `error` is why the last one was not accepted. */
  | { kind: 'needs-reason'; error: string | null }
  | { kind: 'failed'; error: string };

/** The server's refusal of a 保密 summary read without a reason. */
export const isConfidentialRefusal = (error: ApiError): boolean =>
  error.code === 'FORBIDDEN' && error.message === CONFIDENTIAL_READ_REFUSAL;

/** What is wrong with a reason typed into the prompt, or null when it may be sent. */
export function reasonProblem(reason: string): string | null {
  return [...reason.trim()].length < CONFIDENTIAL_READ_REASON_MIN ? `请填写查看理由(至少 ${CONFIDENTIAL_READ_REASON_MIN} 个字)` : null;
}

/**
 * Reads a call's summary: without a reason first; a 保密 refusal asks for one (needs-reason),
 * and the read with the reason (trimmed) gives the summary or says why not.
 */
export async function readSummary(load: LoadSummary, callId: string, reason?: string): Promise<SummaryRead> {
  const trimmed = reason?.trim();
  const res = await load(callId, trimmed || undefined);
  if (res.ok) return { kind: 'loaded', summary: res.data.summary };
  if (isConfidentialRefusal(res.error)) return { kind: 'needs-reason', error: trimmed ? errorMessage(res.error) : null };
  return { kind: 'failed', error: errorMessage(res.error) };
}
