import { can, KnowledgeEntryInputSchema, type ApiError, type KnowledgeEntry, type KnowledgeEntryInput, type Role } from '../../contract';
import { errorMessage } from '../../shared/errors';

/** 知识库's pure rules, shared by the workbench panel and the page: who edits, marks, the editor's form. */

/** Supervisors and admins maintain the knowledge base; seats and managers read it. */
export function canEditKnowledge(role: Role | undefined | null): boolean {
  return role != null && can(role, 'knowledge:edit');
}

export interface MarkedPart {
  text: string;
  marked: boolean;
}

/**
 * Splits a snippet on the server's 【…】 marks into plain and marked runs, for <mark> elements
 * (never HTML). A bracket without its partner is kept as text.
 */
export function splitMarked(snippet: string): MarkedPart[] {
  const parts: MarkedPart[] = [];
  const push = (text: string, marked: boolean) => {
    if (!text) return;
    const last = parts.at(-1);
    if (last && last.marked === marked) last.text += text;
    else parts.push({ text, marked });
  };
  let rest = snippet;
  for (;;) {
    const open = rest.indexOf('【');
    const close = open < 0 ? -1 : rest.indexOf('】', open + 1);
    if (open < 0 || close < 0) {
      push(rest, false);
      return parts;
    }
    push(rest.slice(0, open), false);
    push(rest.slice(open + 1, close), true);
    rest = rest.slice(close + 1);
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Marks every word of `q` in `text` (case-insensitive), the way the server marks snippets:
 * for a hit's question, which the server does not mark.
 */
export function markTerms(text: string, q: string): MarkedPart[] {
  const terms = [...new Set(q.split(/[\s\u3000]+/u).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (terms.length === 0 || !text) return text ? [{ text, marked: false }] : [];
  const re = new RegExp(terms.map(escapeRegExp).join('|'), 'giu');
  const parts: MarkedPart[] = [];
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index), marked: false });
    parts.push({ text: m[0], marked: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false });
  return parts;
}

/** The editor's fields as typed: keywords are one line, separated by commas, 、 or spaces. */
export interface KnowledgeForm {
  categoryId: string;
  question: string;
  answer: string;
  legalBasis: string;
  keywords: string;
}

export type KnowledgeField = keyof KnowledgeForm;
export type KnowledgeFieldErrors = Partial<Record<KnowledgeField | '_', string[]>>;

export const EMPTY_KNOWLEDGE_FORM: KnowledgeForm = { categoryId: '', question: '', answer: '', legalBasis: '', keywords: '' };

export function formOf(entry: KnowledgeEntry): KnowledgeForm {
  return {
    categoryId: entry.categoryId,
    question: entry.question,
    answer: entry.answer,
    legalBasis: entry.legalBasis,
    keywords: entry.keywords.join('、'),
  };
}

export function splitKeywords(line: string): string[] {
  const seen = new Set<string>();
  return line
    .split(/[,,、;;\s\u3000]+/u)
    .map((k) => k.trim())
    .filter((k) => k && !seen.has(k) && seen.add(k));
}

const FORM_FIELDS: readonly string[] = ['categoryId', 'question', 'answer', 'legalBasis', 'keywords'];

/**
 * Field errors keyed by the form's fields. Accepts the server's keys ("keywords.3") and zod
 * paths alike; anything not a field of the form lands under "_".
 */
export function fieldErrorsOf(fields: Record<string, string[]> | undefined): KnowledgeFieldErrors {
  const out: KnowledgeFieldErrors = {};
  for (const [key, messages] of Object.entries(fields ?? {})) {
    const head = key.split('.')[0] ?? '';
    const field = (FORM_FIELDS.includes(head) ? head : '_') as KnowledgeField | '_';
    const list = (out[field] ??= []);
    for (const m of messages) if (!list.includes(m)) list.push(m);
  }
  return out;
}

/** Checks the form with the contract's schema (the same rules the server applies). */
export function validateKnowledgeForm(
  form: KnowledgeForm,
): { ok: true; input: KnowledgeEntryInput } | { ok: false; fields: KnowledgeFieldErrors } {
  const parsed = KnowledgeEntryInputSchema.safeParse({
    categoryId: form.categoryId,
    question: form.question,
    answer: form.answer,
    legalBasis: form.legalBasis,
    keywords: splitKeywords(form.keywords),
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const fields: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    (fields[key] ??= []).push(issue.message);
  }
  return { ok: false, fields: fieldErrorsOf(fields) };
}

/** A save's error as the editor shows it: field messages, a stale-version conflict, or a line. */
export function editorErrorOf(error: ApiError): { fields: KnowledgeFieldErrors; conflict: boolean; message: string | null } {
  if (error.code === 'CONFLICT') return { fields: {}, conflict: true, message: null };
  const fields = error.code === 'VALIDATION' ? fieldErrorsOf(error.fields) : {};
  const hasFields = Object.keys(fields).some((k) => k !== '_');
  const loose = fields._ ?? [];
  return { fields, conflict: false, message: hasFields && loose.length === 0 ? null : loose.join(';') || errorMessage(error) };
}
