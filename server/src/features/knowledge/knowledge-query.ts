/**
 * Query understanding for the knowledge search: what a seat lawyer types (被打了, 欠我工资怎么办,
 * qianxin, qx) turned into the terms the index is asked for. Pure: no SQL, no I/O.
 *
 * A query is split into words at spaces and punctuation; every word must match an entry (as
 * before). A Chinese word is read in three steps:
 *   1. function words, pronouns and question tails are dropped (了, 的, 我, 怎么办 …; see
 *      knowledge-vocabulary.ts), except inside a protected word (其他, 办理 …);
 *   2. what remains is cut into terms by forward longest match against a dictionary: the
 *      knowledge base's own keywords (passed in), the synonym phrases and the protected words;
 *      characters between dictionary words stay together as one term, single characters are
 *      dropped once there are longer terms, and the whole remainder is kept as a term too (an
 *      entry containing 工伤认定 matches 工伤认定, 工伤 and 认定 and so ranks first);
 *   3. a term that is a colloquial phrasing (欠工资, 挨打 …) is searched for itself or the
 *      knowledge base's terms it stands for (欠薪, 拖欠工资);
 *   4. a stretch of more than LONG_STRETCH characters that no dictionary word cuts (邻居家狗把孩子咬)
 *      is also searched by its two-character pieces, weighted low, so a sentence finds something.
 * Within a word an entry needs any one of its terms, and entries matching more (by weight) rank first.
 * A word of Latin letters is also read as pinyin: full syllables (qianxin; "qian xin" is joined
 * first) or initials (qx).
 */
import { PROTECTED_WORDS, STOPWORDS, SYNONYMS } from './knowledge-vocabulary.js';

export interface QueryTerm {
  /** The term as read from the query (function words dropped). */
  text: string;
  /** Strings any of which found in an entry matches the term: the text, then what it stands for. */
  alternatives: string[];
  /** The term read as pinyin (lower-case letters, no spaces), when the word is Latin letters only. */
  pinyin: string | null;
  /**
   * How much matching the term counts in the ranking: 3 for a dictionary word or a word typed on
   * its own, 2 for a whole phrase or a stretch between dictionary words, 1 for a two-character
   * piece of a long stretch.
   */
  weight: number;
}

export interface QueryWord {
  /** The word as typed. */
  typed: string;
  /** An entry matches the word when it matches any of these; more of them rank higher. */
  terms: QueryTerm[];
}

/** Words of a query beyond this many are ignored (the query itself is at most 100 characters). */
export const MAX_WORDS = 8;
/** Terms of one word beyond this many are ignored (the two-character pieces of long stretches go first). */
export const MAX_TERMS_PER_WORD = 12;
/** A stretch between dictionary words longer than this is also searched by its two-character pieces. */
export const LONG_STRETCH = 5;

const HAN = /\p{Script=Han}/u;
/** Word separators: whitespace (with the ideographic space) and sentence punctuation, ASCII and full-width. */
const SEPARATORS = /[\s\u3000\u3001\u3002\uff0c\uff1f\uff01\uff1b\uff1a,?!;]+/u;

/** The C0 control characters and DEL as spaces (char codes, not a regex: see no-control-regex). */
export function blankControls(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c <= 0x1f || c === 0x7f ? ' ' : s[i];
  }
  return out;
}

const fromPhrase = new Map<string, readonly string[]>();
for (const group of SYNONYMS) for (const phrase of group.from) fromPhrase.set(phrase, group.to);
const STATIC_DICTIONARY: ReadonlySet<string> = new Set([...SYNONYMS.flatMap((g) => [...g.from, ...g.to]), ...PROTECTED_WORDS]);
const STOPWORDS_LONGEST_FIRST = [...STOPWORDS].sort((a, b) => b.length - a.length);
/** Dictionary words longer than this are not looked for in a query. */
const MAX_DICTIONARY_WORD = 10;

const INITIAL =
  /^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn|ia|ie|iu|ua|uo|ue|ve|ui|er|a|o|e|i|u|v)$/;

/**
 * Whether `s` (lower-case letters) is a sequence of pinyin syllables: qian, qianxin, xian. A
 * dynamic programme over positions, not one regex with a repeated group (which backtracks
 * exponentially on hostile input).
 */
export function isPinyinSyllables(s: string): boolean {
  if (!/^[a-z]+$/.test(s)) return false;
  const ok: boolean[] = [true];
  for (let end = 1; end <= s.length; end++) {
    ok[end] = false;
    for (let len = 1; len <= 6 && len <= end; len++) {
      if (ok[end - len] && INITIAL.test(s.slice(end - len, end))) {
        ok[end] = true;
        break;
      }
    }
  }
  return ok[s.length]!;
}

/** The pinyin reading of a Latin word: its letters lower-cased, apostrophes dropped (xi'an); null if anything else is in it. */
export function pinyinOf(word: string): string | null {
  const s = word.toLowerCase().replace(/'/g, '');
  return /^[a-z]+$/.test(s) ? s : null;
}

/** Step 1: the word without its function words, as one string (the dropped parts leave no gap). */
export function dropFunctionWords(word: string): string {
  const chars = Array.from(word);
  const keep = chars.map(() => true);
  const guarded = chars.map(() => false);
  const at = (i: number, w: string) => chars.slice(i, i + Array.from(w).length).join('') === w;
  for (let i = 0; i < chars.length; i++) {
    for (const w of PROTECTED_WORDS) {
      if (at(i, w)) for (let k = 0; k < Array.from(w).length; k++) guarded[i + k] = true;
    }
  }
  for (let i = 0; i < chars.length;) {
    const stop = STOPWORDS_LONGEST_FIRST.find((w) => at(i, w) && !guarded.slice(i, i + Array.from(w).length).some(Boolean));
    if (stop) {
      for (let k = 0; k < Array.from(stop).length; k++) keep[i + k] = false;
      i += Array.from(stop).length;
    } else i++;
  }
  return chars.filter((_, i) => keep[i]).join('');
}

/** Step 2: forward longest match against the dictionary; characters between its words stay together. */
export function segment(text: string, dictionary: ReadonlySet<string>): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  let unknown = '';
  for (let i = 0; i < chars.length;) {
    let found = '';
    for (let len = Math.min(MAX_DICTIONARY_WORD, chars.length - i); len >= 2; len--) {
      const w = chars.slice(i, i + len).join('');
      if (STATIC_DICTIONARY.has(w) || dictionary.has(w)) {
        found = w;
        break;
      }
    }
    if (found) {
      if (unknown) out.push(unknown);
      unknown = '';
      out.push(found);
      i += Array.from(found).length;
    } else {
      unknown += chars[i];
      i++;
    }
  }
  if (unknown) out.push(unknown);
  return out;
}

/** Step 3: a term with the knowledge base's terms it stands for. */
function termOf(text: string, weight: number): QueryTerm {
  return { text, alternatives: [...new Set([text, ...(fromPhrase.get(text) ?? [])])], pinyin: null, weight };
}

/** The overlapping two-character pieces of a stretch (邻居家狗 → 邻居, 居家, 家狗). */
function bigrams(text: string): string[] {
  const chars = Array.from(text);
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]!);
}

/** The words of a query, split at spaces and punctuation, with consecutive pinyin syllable words joined (qian xin → qianxin). */
function splitWords(q: string): string[] {
  const raw = blankControls(q)
    .split(SEPARATORS)
    .filter((w) => w.length > 0);
  const words: string[] = [];
  for (const w of raw) {
    const prev = words.at(-1);
    if (prev !== undefined && isPinyinSyllables(prev.toLowerCase()) && isPinyinSyllables(w.toLowerCase())) {
      words[words.length - 1] = prev + w;
    } else words.push(w);
  }
  return words;
}

/**
 * The words of a query with their terms. `dictionary` is the knowledge base's own keywords, so a
 * phrase is cut where the entries' vocabulary is. A query made only of function words (了, 怎么办)
 * is searched as typed rather than for nothing.
 */
export function parseKnowledgeQuery(q: string, dictionary: ReadonlySet<string> = new Set()): QueryWord[] {
  const words: QueryWord[] = [];
  const seen = new Set<string>();
  const literal = (typed: string): QueryWord => ({
    typed,
    terms: [{ text: typed, alternatives: [typed], pinyin: pinyinOf(typed), weight: 3 }],
  });
  const known = (t: string) => STATIC_DICTIONARY.has(t) || dictionary.has(t);
  const long = (t: string) => Array.from(t).length > LONG_STRETCH;
  const pieces = splitWords(q);
  for (const typed of pieces) {
    if (words.length === MAX_WORDS) break;
    const key = typed.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    if (!HAN.test(typed)) {
      words.push(literal(typed));
      continue;
    }
    const whole = dropFunctionWords(typed);
    let parts = segment(whole, dictionary);
    // Single characters left between words say little (伤 of 被车撞伤) once there are words.
    if (parts.some((p) => Array.from(p).length > 1)) parts = parts.filter((p) => Array.from(p).length > 1);
    const candidates: QueryTerm[] = [];
    if (parts.length === 1 && parts[0] === whole) {
      // Not cut: the word as typed (less its function words) counts fully unless it is a long unknown stretch.
      candidates.push(termOf(whole, !known(whole) && long(whole) ? 2 : 3));
    } else if (parts.length > 0) {
      // Cut: the whole phrase too, so an entry containing it matches every term and ranks first.
      candidates.push(termOf(whole, 2));
      for (const p of parts) candidates.push(termOf(p, known(p) ? 3 : 2));
    }
    // Long stretches no dictionary word cuts: their two-character pieces too, so a sentence finds something.
    for (const p of parts) if (!known(p) && long(p)) for (const b of bigrams(p)) candidates.push(termOf(b, 1));
    const terms: QueryTerm[] = [];
    for (const t of candidates) {
      if (terms.length === MAX_TERMS_PER_WORD) break;
      if (!terms.some((u) => u.text === t.text)) terms.push(t);
    }
    if (terms.length > 0) words.push({ typed, terms });
  }
  if (words.length === 0) {
    // Only function words: search them as typed (a lawyer looking up 了 gets 了).
    for (const typed of pieces.slice(0, MAX_WORDS)) {
      if (!words.some((w) => w.typed.toLowerCase() === typed.toLowerCase())) words.push(literal(typed));
    }
  }
  return words;
}
