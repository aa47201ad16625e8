/**
 * Search of the standardized answer knowledge base (热线答问标准化知识库): the SQL and the snippets.
 *
 * The query is first read by knowledge-query.ts: words, each with its terms, each term with the
 * strings that match it (the term and the knowledge base's terms it stands for) and its pinyin
 * reading. Each such string is looked up in an index, once per search (a materialized CTE):
 * - 3 or more characters: knowledge_fts, the FTS5 trigram index (migration 4), which finds any
 *   substring — what Chinese needs, since it has no spaces between words;
 * - 1 or 2 characters (欠薪, 工伤, 法): knowledge_terms.grams, every 1- and 2-character stretch of
 *   each entry (migration 6, knowledge-index.ts);
 * - pinyin (qianxin, qx): a prefix query on knowledge_terms.py, and an exact one on pykw to rank
 *   an entry whose keyword it is higher.
 * Every word must match; within a word any term. Strings reach SQLite only as bound parameters
 * inside quoted FTS5 strings (or as tokens of [0-9a-z]), so no input is ever read as query syntax.
 */
import { blankControls, parseKnowledgeQuery, type QueryWord } from './knowledge-query.js';
import { gramToken } from './knowledge-index.js';

/** Relative weight of a match in each column: the question counts most, then the keywords. */
export const FIELD_WEIGHTS = { question: 10, keywords: 6, answer: 2, legalBasis: 1 } as const;
/** Weight of a pinyin match in the question or keywords, and in addition when it is a whole keyword's pinyin. */
export const PINYIN_WEIGHTS = { anywhere: 3, keyword: 6 } as const;
/** The trigram tokenizer indexes 3-character sequences; shorter strings go to the gram index. */
export const TRIGRAM_MIN = 3;
/** Words of a query beyond this many are ignored (the query itself is at most 100 characters). */
export const MAX_TERMS = 8;

/**
 * The words of a query as typed: split on any whitespace (including the ideographic space),
 * control characters dropped, duplicates (case-insensitively) removed. The search itself reads
 * the query with parseKnowledgeQuery (which also splits at punctuation); this is the plain split.
 */
export function splitTerms(q: string): string[] {
  const seen = new Set<string>();
  const terms: string[] = [];
  for (const raw of blankControls(q).split(/[\s\u3000]+/u)) {
    const key = raw.toLowerCase();
    if (!raw || seen.has(key)) continue;
    seen.add(key);
    terms.push(raw);
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

const charCount = (s: string) => Array.from(s).length;

/** One FTS5 string literal: the word in double quotes with its own quotes doubled. */
export const ftsPhrase = (term: string) => `"${term.replace(/"/g, '""')}"`;

/** A LIKE pattern that matches the word anywhere, with `\`, `%` and `_` taken literally (ESCAPE '\'). */
export const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface KnowledgeQuery {
  sql: string;
  params: (string | number)[];
  /** The query as read: words, their terms and what each term matches. */
  words: QueryWord[];
  /** Strings of 3 or more characters, matched through the trigram index. */
  ftsTerms: string[];
  /** Strings of 1 or 2 characters, matched through the gram index (and scored with LIKE). */
  likeTerms: string[];
  /** Pinyin readings (full or initials), matched by prefix. */
  pinyinTerms: string[];
}

export const ENTRY_COLUMNS = 'e.id, e.category_id, e.question, e.answer, e.legal_basis, e.keywords, e.version, e.updated_at, e.updated_by';

/**
 * The SQL of a search. Ordering: entries of `category` first (when given), then those matching
 * more of the query's terms (by their weights), then by the column-weighted score of what
 * matched, then by id (the starter set lists the commonest questions of a category first). With
 * no words, `category` lists that category's entries and nothing else; with neither, every entry.
 * `dictionary` is the knowledge base's keywords, which query understanding cuts phrases by.
 */
export function buildKnowledgeQuery(opts: {
  q: string;
  category?: string | null;
  limit: number;
  dictionary?: ReadonlySet<string>;
}): KnowledgeQuery {
  const words = parseKnowledgeQuery(opts.q, opts.dictionary);
  const category = opts.category || null;
  const w = FIELD_WEIGHTS;

  // One materialized CTE per distinct index lookup.
  const ctes: string[] = [];
  const cteParams: string[] = [];
  const names = new Map<string, string>();
  const lookup = (table: 'knowledge_fts' | 'knowledge_terms', match: string): string => {
    const key = `${table} ${match}`;
    let name = names.get(key);
    if (name === undefined) {
      name = `m${ctes.length}`;
      names.set(key, name);
      ctes.push(`${name}(id) AS MATERIALIZED (SELECT rowid FROM ${table} WHERE ${table} MATCH ?)`);
      cteParams.push(match);
    }
    return name;
  };

  const ftsTerms: string[] = [];
  const likeTerms: string[] = [];
  const pinyinTerms: string[] = [];
  const scoreParts: string[] = [];
  const scoreParams: string[] = [];
  const scored = new Set<string>();
  const wordConditions: string[] = [];
  const termHits: string[] = [];
  for (const word of words) {
    const termConditions: string[] = [];
    for (const term of word.terms) {
      const found: string[] = [];
      for (const s of term.alternatives) {
        const long = charCount(s) >= TRIGRAM_MIN;
        (long ? ftsTerms : likeTerms).push(s);
        found.push(`e.id IN ${long ? lookup('knowledge_fts', ftsPhrase(s)) : lookup('knowledge_terms', `grams : "${gramToken(s)}"`)}`);
        if (scored.has(`t:${s.toLowerCase()}`)) continue;
        scored.add(`t:${s.toLowerCase()}`);
        const p = likePattern(s);
        scoreParts.push(
          `(e.question LIKE ? ESCAPE '\\') * ${w.question} + (e.keywords LIKE ? ESCAPE '\\') * ${w.keywords}` +
            ` + (e.answer LIKE ? ESCAPE '\\') * ${w.answer} + (e.legal_basis LIKE ? ESCAPE '\\') * ${w.legalBasis}`,
        );
        scoreParams.push(p, p, p, p);
      }
      if (term.pinyin) {
        pinyinTerms.push(term.pinyin);
        const anywhere = lookup('knowledge_terms', `py : "${term.pinyin}"*`);
        found.push(`e.id IN ${anywhere}`);
        if (!scored.has(`p:${term.pinyin}`)) {
          scored.add(`p:${term.pinyin}`);
          const keyword = lookup('knowledge_terms', `pykw : "${term.pinyin}"`);
          scoreParts.push(`(e.id IN ${anywhere}) * ${PINYIN_WEIGHTS.anywhere} + (e.id IN ${keyword}) * ${PINYIN_WEIGHTS.keyword}`);
        }
      }
      const condition = `(${found.join(' OR ')})`;
      termConditions.push(condition);
      termHits.push(`${condition} * ${term.weight}`);
    }
    wordConditions.push(`(${termConditions.join(' OR ')})`);
  }

  const where: string[] = ['e.retired_at IS NULL', ...wordConditions];
  const whereParams: string[] = [];
  if (words.length === 0 && category) {
    where.push('e.category_id = ?');
    whereParams.push(category);
  }
  const order: string[] = [];
  const orderParams: string[] = [];
  if (words.length > 0 && category) {
    order.push('(e.category_id = ?) DESC');
    orderParams.push(category);
  }
  order.push('term_hits DESC', 'score DESC', 'e.id ASC');
  const hits = termHits.length ? termHits.join(' + ') : '0';
  const score = scoreParts.length ? scoreParts.join(' + ') : '0';

  const sql =
    (ctes.length ? `WITH ${ctes.join(', ')} ` : '') +
    `SELECT ${ENTRY_COLUMNS}, ${hits} AS term_hits, ${score} AS score FROM knowledge_entries e` +
    ` WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ?`;
  return {
    sql,
    params: [...cteParams, ...scoreParams, ...whereParams, ...orderParams, opts.limit],
    words,
    ftsTerms: [...new Set(ftsTerms)],
    likeTerms: [...new Set(likeTerms)],
    pinyinTerms: [...new Set(pinyinTerms)],
  };
}

/** Characters of context a snippet shows before its first match, and its total length. */
const SNIPPET_BEFORE = 24;
const SNIPPET_LENGTH = 90;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A plain-text stretch of `text` around the first occurrence of any word, every occurrence in it
 * marked 【…】, elided with … where cut. Without any occurrence, the start of the text, unmarked.
 */
export function makeSnippet(text: string, terms: readonly string[], length = SNIPPET_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const re = terms.length
    ? new RegExp(
        [...terms]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegExp)
          .join('|'),
        'giu',
      )
    : null;
  const first = re ? flat.search(re) : -1;
  let start = first <= SNIPPET_BEFORE ? 0 : first - SNIPPET_BEFORE;
  let end = Math.min(flat.length, start + length);
  if (end === flat.length) start = Math.max(0, Math.min(start, end - length));
  // Never cut a surrogate pair in half.
  if (start > 0 && /[\udc00-\udfff]/.test(flat[start]!)) start++;
  if (end < flat.length && /[\ud800-\udbff]/.test(flat[end - 1]!)) end--;
  const window = flat.slice(start, end);
  const marked = re && first >= 0 ? window.replace(re, (m) => `【${m}】`) : window;
  return `${start > 0 ? '…' : ''}${marked}${end < flat.length ? '…' : ''}`;
}
