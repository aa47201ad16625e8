import {
  callSummaryInputSchema,
  REFERRAL_DISPOSITIONS,
  type CallSummaryInput,
  type CallSummaryView,
  type KnowledgeEntry,
  type SummaryDraft,
} from '../../contract';

/** Field → messages, as the server's VALIDATION errors carry them. */
export type FieldErrors = Record<string, string[]>;

export type SummaryCheck = { ok: true; input: CallSummaryInput } | { ok: false; fields: FieldErrors };

/**
 * The contract's rules of a filed summary (the same schema the server applies), run on a draft.
 * Empty optional inputs are left out so the schema's defaults and messages apply.
 */
export function checkSummary(draft: SummaryDraft, now: number): SummaryCheck {
  const schema = callSummaryInputSchema(now);
  const parsed = schema.safeParse(draftToInput(draft));
  if (parsed.success) return { ok: true, input: parsed.data };
  const fields: FieldErrors = {};
  const add = (issues: typeof parsed.error.issues, only?: (key: string) => boolean) => {
    for (const issue of issues) {
      const key = String(issue.path[0] ?? '');
      if (only && !only(key)) continue;
      const list = (fields[key] ??= []);
      if (!list.includes(issue.message)) list.push(issue.message);
    }
  };
  add(parsed.error.issues);
  // The schema checks the required-by-disposition fields only once the category and the
  // disposition are there. So that one press of 提交小结 names every gap, run the same rules
  // again with stand-ins for those two (当场解答 needs the most) and add what else they find.
  if (!draft.disposition || !draft.categoryId) {
    const again = schema.safeParse(
      draftToInput({ ...draft, disposition: draft.disposition ?? 'answered', categoryId: draft.categoryId || 'unset' }),
    );
    if (!again.success) add(again.error.issues, (key) => key !== 'disposition' && key !== 'categoryId');
  }
  return { ok: false, fields };
}

function draftToInput(draft: SummaryDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(draft)) if (v !== undefined) out[k] = v;
  // The form has no "unset" for the follow-up time other than clearing it.
  if (out.followUpAt === undefined) out.followUpAt = null;
  return out;
}

/** A filed summary as a draft, to edit it in the same form (修改). */
export function summaryToDraft(s: CallSummaryView | CallSummaryInput): SummaryDraft {
  return {
    categoryId: s.categoryId,
    topic: s.topic,
    question: s.question,
    answer: s.answer,
    disposition: s.disposition,
    referral: s.referral,
    followUpAt: s.followUpAt,
    riskFlag: s.riskFlag,
    riskNote: s.riskNote,
    knowledgeIds: s.knowledgeIds,
    ...(s.confidential ? { confidential: true } : {}),
  };
}

export const needsReferral = (d: SummaryDraft) => d.disposition !== undefined && REFERRAL_DISPOSITIONS.includes(d.disposition);
export const needsFollowUp = (d: SummaryDraft) => d.disposition === 'callback';
/** 重大事项上报 as the disposition implies the risk flag (the server sets it too). */
export const riskFlagged = (d: SummaryDraft) => d.riskFlag === true || d.disposition === 'major-report';

/**
 * A knowledge entry taken into the answer (插入小结): its standard answer and legal basis are
 * appended after what the seat already wrote, and its id recorded once.
 */
export function insertKnowledge(draft: SummaryDraft, entry: Pick<KnowledgeEntry, 'id' | 'answer' | 'legalBasis'>): Partial<SummaryDraft> {
  const block = entry.legalBasis.trim() ? `${entry.answer.trim()}\n法律依据:${entry.legalBasis.trim()}` : entry.answer.trim();
  const current = (draft.answer ?? '').replace(/\s+$/, '');
  const ids = draft.knowledgeIds ?? [];
  return {
    answer: current ? `${current}\n\n${block}` : block,
    knowledgeIds: ids.includes(entry.id) ? ids : [...ids, entry.id].slice(-20),
  };
}
