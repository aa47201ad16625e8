import type { Db } from '../../store/db.js';
import { ENTRY_COLUMNS, buildKnowledgeQuery, makeSnippet } from './knowledge-search.js';

/** A knowledge base entry as stored (live entries only). */
export interface KnowledgeRecord {
  id: number;
  categoryId: string;
  question: string;
  answer: string;
  legalBasis: string;
  keywords: string[];
  version: number;
  updatedAt: number;
  updatedBy: string;
}

/** An entry found by a search, with a stretch of its answer around the words found. */
export interface KnowledgeSearchHit extends KnowledgeRecord {
  snippet: string;
}

/** What an author writes of an entry. */
export interface KnowledgeRecordInput {
  categoryId: string;
  question: string;
  answer: string;
  legalBasis: string;
  keywords: string[];
}

type Row = {
  id: number;
  category_id: string;
  question: string;
  answer: string;
  legal_basis: string;
  keywords: string;
  version: number;
  updated_at: number;
  updated_by: string;
};

const toEntry = (r: Row): KnowledgeRecord => ({
  id: r.id,
  categoryId: r.category_id,
  question: r.question,
  answer: r.answer,
  legalBasis: r.legal_basis,
  keywords: JSON.parse(r.keywords) as string[],
  version: r.version,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export type KnowledgeUpdateResult =
  { ok: true; entry: KnowledgeRecord } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'stale'; current: KnowledgeRecord };

/** Knowledge base entries (knowledge_entries, searched through knowledge_fts). */
export class KnowledgeRepository {
  constructor(private readonly db: Db) {}

  /** A live entry; retired entries are not found. */
  get(id: number): KnowledgeRecord | null {
    const r = this.db.prepare(`SELECT ${ENTRY_COLUMNS} FROM knowledge_entries e WHERE e.id = ? AND e.retired_at IS NULL`).get(id) as
      Row | undefined;
    return r ? toEntry(r) : null;
  }

  create(input: KnowledgeRecordInput, by: string, at: number): KnowledgeRecord {
    const res = this.db
      .prepare(
        `INSERT INTO knowledge_entries (category_id, question, answer, legal_basis, keywords, version, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
      )
      .run(input.categoryId, input.question, input.answer, input.legalBasis, JSON.stringify(input.keywords), at, by);
    return this.get(Number(res.lastInsertRowid))!;
  }

  /** Replaces an entry if it is still at `version` (optimistic concurrency); the version goes up by one. Run it in a transaction. */
  update(id: number, input: KnowledgeRecordInput & { version: number }, by: string, at: number): KnowledgeUpdateResult {
    const res = this.db
      .prepare(
        `UPDATE knowledge_entries SET category_id = ?, question = ?, answer = ?, legal_basis = ?, keywords = ?,
           version = version + 1, updated_at = ?, updated_by = ?
         WHERE id = ? AND version = ? AND retired_at IS NULL`,
      )
      .run(input.categoryId, input.question, input.answer, input.legalBasis, JSON.stringify(input.keywords), at, by, id, input.version);
    if (res.changes === 1) return { ok: true, entry: this.get(id)! };
    const current = this.get(id);
    return current ? { ok: false, reason: 'stale', current } : { ok: false, reason: 'not-found' };
  }

  /** Retires a live entry (soft delete: kept for the summaries that cite it, gone from search). */
  retire(id: number, by: string, at: number): boolean {
    const res = this.db
      .prepare(
        `UPDATE knowledge_entries SET retired_at = ?, version = version + 1, updated_at = ?, updated_by = ?
         WHERE id = ? AND retired_at IS NULL`,
      )
      .run(at, at, by, id);
    return res.changes === 1;
  }

  search(opts: { q: string; category?: string | null; limit: number }): KnowledgeSearchHit[] {
    const query = buildKnowledgeQuery(opts);
    const rows = this.db.prepare(query.sql).all(...query.params) as Row[];
    const terms = [...query.ftsTerms, ...query.likeTerms];
    return rows.map((r) => {
      const entry = toEntry(r);
      return { ...entry, snippet: makeSnippet(entry.answer, terms) };
    });
  }

  /** Live entries per category. */
  countByCategory(): Record<string, number> {
    const rows = this.db
      .prepare('SELECT category_id, COUNT(*) AS n FROM knowledge_entries WHERE retired_at IS NULL GROUP BY category_id')
      .all() as { category_id: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.category_id, r.n]));
  }
}
