/**
 * Search of the standardized answer knowledge base (热线答问标准化知识库): the SQL and the snippets.
 *
 * Search runs over an FTS5 table with the trigram tokenizer (migration 4), which finds any
 * substring of 3 or more characters — what Chinese needs, since it has no spaces between words.
 * Shorter words ("欠薪", "离婚", "工伤") have no trigram, so they are matched with LIKE over the
 * same columns. Every word of a query must match; the words are passed to SQLite only as bound
 * parameters inside quoted FTS5 strings, so no input is ever read as query syntax.
 */

/** Relative weight of a match in each column: the question counts most, then the keywords. */
export const FIELD_WEIGHTS = { question: 10, keywords: 6, answer: 2, legalBasis: 1 } as const;
/** The trigram tokenizer indexes 3-character sequences; shorter words fall back to LIKE. */
export const TRIGRAM_MIN = 3;
/** Words of a query beyond this many are ignored (the query itself is at most 100 characters). */
export const MAX_TERMS = 8;

/**
 * The words of a query: split on any whitespace (including the ideographic space), control
 * characters dropped, duplicates (case-insensitively) removed.
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

/**
 * The C0 control characters (U+0000–U+001F) and DEL (U+007F) replaced by spaces, one for one. A
 * char-code test rather than a regex class: a regex spelling control characters is what the
 * no-control-regex lint rule exists to catch (usually a mistake; here it is the point).
 */
function blankControls(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c <= 0x1f || c === 0x7f ? ' ' : s[i];
  }
  return out;
}

const charCount = (s: string) => Array.from(s).length;

/** One FTS5 string literal: the word in double quotes with its own quotes doubled. */
export const ftsPhrase = (term: string) => `"${term.replace(/"/g, '""')}"`;

/** A LIKE pattern that matches the word anywhere, with `\`, `%` and `_` taken literally (ESCAPE '\'). */
export const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface KnowledgeQuery {
  sql: string;
  params: (string | number)[];
  /** Words matched through the trigram index. */
  ftsTerms: string[];
  /** Words too short for a trigram, matched with LIKE. */
  likeTerms: string[];
}

export const ENTRY_COLUMNS = 'e.id, e.category_id, e.question, e.answer, e.legal_basis, e.keywords, e.version, e.updated_at, e.updated_by';

/**
 * The SQL of a search. Ordering: entries of `category` first (when given), then by relevance —
 * the column-weighted count of short words matched, then FTS5 bm25 with the same column
 * weights — then by id (the starter set lists the commonest questions of a category first).
 * With no words, `category` lists that category's entries and nothing else; with neither,
 * every entry.
 */
export function buildKnowledgeQuery(opts: { q: string; category?: string | null; limit: number }): KnowledgeQuery {
  const terms = splitTerms(opts.q);
  const ftsTerms = terms.filter((t) => charCount(t) >= TRIGRAM_MIN);
  const likeTerms = terms.filter((t) => charCount(t) < TRIGRAM_MIN);
  const category = opts.category || null;
  const w = FIELD_WEIGHTS;

  const where: string[] = ['e.retired_at IS NULL'];
  const whereParams: (string | number)[] = [];
  let from = 'knowledge_entries e';
  let rank = '0';
  if (ftsTerms.length > 0) {
    from = 'knowledge_fts JOIN knowledge_entries e ON e.id = knowledge_fts.rowid';
    where.push('knowledge_fts MATCH ?');
    whereParams.push(ftsTerms.map(ftsPhrase).join(' AND '));
    // Column order of knowledge_fts: question, answer, legal_basis, keywords.
    rank = `bm25(knowledge_fts, ${w.question}, ${w.answer}, ${w.legalBasis}, ${w.keywords})`;
  } else if (likeTerms.length > 0) {
    from = 'knowledge_fts JOIN knowledge_entries e ON e.id = knowledge_fts.rowid';
  }
  const scoreParts: string[] = [];
  const scoreParams: string[] = [];
  for (const term of likeTerms) {
    const p = likePattern(term);
    where.push(
      "(knowledge_fts.question LIKE ? ESCAPE '\\' OR knowledge_fts.answer LIKE ? ESCAPE '\\' OR knowledge_fts.legal_basis LIKE ? ESCAPE '\\' OR knowledge_fts.keywords LIKE ? ESCAPE '\\')",
    );
    whereParams.push(p, p, p, p);
    scoreParts.push(
      `(knowledge_fts.question LIKE ? ESCAPE '\\') * ${w.question} + (knowledge_fts.keywords LIKE ? ESCAPE '\\') * ${w.keywords}` +
        ` + (knowledge_fts.answer LIKE ? ESCAPE '\\') * ${w.answer} + (knowledge_fts.legal_basis LIKE ? ESCAPE '\\') * ${w.legalBasis}`,
    );
    scoreParams.push(p, p, p, p);
  }
  if (terms.length === 0 && category) {
    where.push('e.category_id = ?');
    whereParams.push(category);
  }
  const score = scoreParts.length ? scoreParts.join(' + ') : '0';
  const order: string[] = [];
  const orderParams: string[] = [];
  if (terms.length > 0 && category) {
    order.push('(e.category_id = ?) DESC');
    orderParams.push(category);
  }
  order.push('like_score DESC', 'fts_rank ASC', 'e.id ASC');

  const sql =
    `SELECT ${ENTRY_COLUMNS}, ${score} AS like_score, ${rank} AS fts_rank FROM ${from}` +
    ` WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ?`;
  return { sql, params: [...scoreParams, ...whereParams, ...orderParams, opts.limit], ftsTerms, likeTerms };
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
