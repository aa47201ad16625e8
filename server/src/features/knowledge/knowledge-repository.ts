import type { Db } from '../../store/db.js';
import { TERMS_INDEX_VERSION, gramsOf, keywordMatchesPinyin, pinyinTokensOf } from './knowledge-index.js';
import { ENTRY_COLUMNS, buildKnowledgeQuery, makeSnippet } from './knowledge-search.js';

/** Settings key holding the format version knowledge_terms was built with (knowledge-index.ts). */
export const TERMS_INDEX_KEY = 'knowledge_terms_index';

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

/** Knowledge base entries (knowledge_entries, searched through knowledge_fts and knowledge_terms). */
export class KnowledgeRepository {
  /** The live entries' keywords, which query understanding cuts phrases by; `key` tells when to reload. */
  private dictionary: { key: string; words: ReadonlySet<string> } | null = null;

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
    const entry = this.get(Number(res.lastInsertRowid))!;
    this.index(entry);
    return entry;
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
    if (res.changes === 1) {
      const entry = this.get(id)!;
      this.unindex(id);
      this.index(entry);
      return { ok: true, entry };
    }
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
    if (res.changes === 1) this.unindex(id);
    return res.changes === 1;
  }

  /**
   * Builds knowledge_terms for every live entry unless it was built in the current format
   * (TERMS_INDEX_VERSION, recorded in settings): a database from before migration 6, or one built
   * by an older version, is indexed at start. A database whose every entry was written since
   * migration 6 (a new one, just seeded) only has the format recorded. Returns how many entries it
   * indexed.
   */
  ensureSearchIndex(at: number): number {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(TERMS_INDEX_KEY) as { value: string } | undefined;
      if (row && Number(row.value) === TERMS_INDEX_VERSION) return 0;
      const unindexed = this.db
        .prepare('SELECT count(*) AS n FROM knowledge_entries WHERE retired_at IS NULL AND id NOT IN (SELECT rowid FROM knowledge_terms)')
        .get() as { n: number };
      let indexed = 0;
      if (row || unindexed.n > 0) {
        this.db.prepare("INSERT INTO knowledge_terms (knowledge_terms) VALUES ('delete-all')").run();
        const rows = this.db.prepare(`SELECT ${ENTRY_COLUMNS} FROM knowledge_entries e WHERE e.retired_at IS NULL`).all() as Row[];
        for (const r of rows) this.index(toEntry(r));
        indexed = rows.length;
      }
      this.db
        .prepare(
          'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
        )
        .run(TERMS_INDEX_KEY, String(TERMS_INDEX_VERSION), at);
      return indexed;
    })();
  }

  /** Adds an entry's grams and pinyin to knowledge_terms. */
  private index(e: KnowledgeRecord): void {
    const { py, pykw } = pinyinTokensOf(e.question, e.keywords);
    this.db
      .prepare('INSERT INTO knowledge_terms (rowid, grams, py, pykw) VALUES (?, ?, ?, ?)')
      .run(e.id, gramsOf([e.question, e.keywords.join(' '), e.answer, e.legalBasis]), py, pykw);
  }

  private unindex(id: number): void {
    this.db.prepare('DELETE FROM knowledge_terms WHERE rowid = ?').run(id);
  }

  /** The live entries' keywords (reloaded when an entry was added, edited or retired since). */
  private keywordDictionary(): ReadonlySet<string> {
    const { key } = this.db
      .prepare(
        "SELECT count(*) || ':' || total(version) || ':' || ifnull(max(id), 0) AS key FROM knowledge_entries WHERE retired_at IS NULL",
      )
      .get() as { key: string };
    if (this.dictionary?.key !== key) {
      const words = new Set<string>();
      for (const r of this.db.prepare('SELECT keywords FROM knowledge_entries WHERE retired_at IS NULL').all() as { keywords: string }[]) {
        for (const k of JSON.parse(r.keywords) as string[]) if (Array.from(k).length >= 2) words.add(k);
      }
      this.dictionary = { key, words };
    }
    return this.dictionary.words;
  }

  search(opts: { q: string; category?: string | null; limit: number }): KnowledgeSearchHit[] {
    return this.searchWithTerms(opts).hits;
  }

  /**
   * A search with the strings it looked for, to mark them: the query's strings, and for a pinyin
   * search the hits' keywords the pinyin matched (qx → 欠薪); pinyin readings themselves excluded.
   */
  searchWithTerms(opts: { q: string; category?: string | null; limit: number }): { hits: KnowledgeSearchHit[]; terms: string[] } {
    const query = buildKnowledgeQuery({ ...opts, dictionary: this.keywordDictionary() });
    const rows = this.db.prepare(query.sql).all(...query.params) as Row[];
    const terms = [...query.ftsTerms, ...query.likeTerms];
    const all = new Set(terms);
    const hits = rows.map((r) => {
      const entry = toEntry(r);
      const byPinyin = query.pinyinTerms.length ? entry.keywords.filter((k) => keywordMatchesPinyin(k, query.pinyinTerms)) : [];
      for (const k of byPinyin) all.add(k);
      return { ...entry, snippet: makeSnippet(entry.answer, [...terms, ...byPinyin]) };
    });
    return { hits, terms: [...all] };
  }

  /** Live entries per category. */
  countByCategory(): Record<string, number> {
    const rows = this.db
      .prepare('SELECT category_id, COUNT(*) AS n FROM knowledge_entries WHERE retired_at IS NULL GROUP BY category_id')
      .all() as { category_id: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.category_id, r.n]));
  }
}
