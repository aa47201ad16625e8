import type { KnowledgeEntry, KnowledgeHit, KnowledgeSearchResponse } from '../../contract/index.js';
import type { KnowledgeRecord, KnowledgeSearchHit } from './knowledge-repository.js';

export const knowledgeEntryView = (e: KnowledgeRecord): KnowledgeEntry => ({
  id: e.id,
  categoryId: e.categoryId,
  question: e.question,
  answer: e.answer,
  legalBasis: e.legalBasis,
  keywords: e.keywords,
  version: e.version,
  updatedAt: e.updatedAt,
  updatedBy: e.updatedBy,
});

const knowledgeHitView = (h: KnowledgeSearchHit): KnowledgeHit => ({ ...knowledgeEntryView(h), snippet: h.snippet });

export const knowledgeSearchView = (
  q: string,
  category: string | null,
  found: { hits: KnowledgeSearchHit[]; terms: string[] },
): KnowledgeSearchResponse => ({
  q,
  category,
  terms: found.terms,
  hits: found.hits.map(knowledgeHitView),
});
