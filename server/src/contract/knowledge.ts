/** The knowledge base (标准化知识库): entries, their edits and the search. */
import { z } from 'zod';
import { line, text } from './fields.js';

export const KNOWLEDGE_LIMITS = { question: 200, answer: 4000, legalBasis: 1000, keyword: 20, keywords: 12 } as const;
export const KnowledgeEntryInputSchema = z
  .object({
    categoryId: z.string({ error: '请选择类别' }).min(1, '请选择类别').max(40),
    question: text('标准问题', KNOWLEDGE_LIMITS.question).min(4, '标准问题至少 4 个字'),
    answer: text('标准答复', KNOWLEDGE_LIMITS.answer).min(10, '标准答复至少 10 个字'),
    legalBasis: text('法律依据', KNOWLEDGE_LIMITS.legalBasis).default(''),
    keywords: z.array(line('关键词', KNOWLEDGE_LIMITS.keyword).min(1)).max(KNOWLEDGE_LIMITS.keywords).default([]),
  })
  .strict();
export type KnowledgeEntryInput = z.output<typeof KnowledgeEntryInputSchema>;
/** Updates name the version they were based on, so two supervisors do not overwrite each other. */
export const KnowledgeEntryUpdateSchema = KnowledgeEntryInputSchema.extend({ version: z.number().int().positive() }).strict();

export interface KnowledgeEntry extends KnowledgeEntryInput {
  id: number;
  version: number;
  updatedAt: number;
  updatedBy: string;
}
export const KnowledgeSearchSchema = z.object({
  q: line('搜索词', 100).default(''),
  category: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export interface KnowledgeHit extends KnowledgeEntry {
  /** The matching stretch of the answer with the query marked by 【】 (plain text, no HTML). */
  snippet: string;
}
export interface KnowledgeSearchResponse {
  q: string;
  category: string | null;
  /**
   * The strings the search looked for, to mark in the hits' questions: the query's words without
   * their function words (被打了 → 被打) and the knowledge base's terms a colloquial phrase stands
   * for (欠我工资 → 欠工资, 欠薪, 拖欠工资), and for a pinyin search the hits' keywords it matched
   * (qx → 欠薪).
   */
  terms: string[];
  hits: KnowledgeHit[];
}
