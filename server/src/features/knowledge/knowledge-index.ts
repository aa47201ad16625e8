/**
 * What the knowledge_terms index (migration 6) holds for an entry, computed here because SQLite
 * cannot: every one- and two-character stretch of its text, and the pinyin of its question and
 * keywords.
 *
 * - `grams`: each distinct 1- and 2-character substring of the question, keywords, answer and
 *   legal basis (lower-cased), written as an ASCII token (`g` + the code points in hex, joined by
 *   `x`). The trigram index finds words of 3 or more characters; this one finds 欠薪, 工伤 or 法
 *   by an index lookup instead of a scan, and any character (%, ", 𠮷) the same way.
 * - `py`: for every run of Chinese characters in the question and keywords, its full pinyin and
 *   its initials from each syllable on (拖欠工资 → tuoqiangongzi, qiangongzi, gongzi, zi, tqgz,
 *   qgz, gz, z), so a prefix query finds qianxin, qian or qx wherever a syllable starts.
 * - `pykw`: each keyword's full pinyin and initials whole (欠薪 → qianxin, qx): an exact match
 *   there ranks an entry higher.
 */
import { pinyin } from 'pinyin-pro';

/**
 * The format of knowledge_terms. Raise it when what is indexed changes (another pinyin library
 * version, other grams): the next start rebuilds the index (KnowledgeRepository.ensureSearchIndex).
 */
export const TERMS_INDEX_VERSION = 1;

/** The index token of a 1- or 2-character string (lower-cased first). */
export function gramToken(s: string): string {
  return `g${Array.from(s.toLowerCase())
    .map((c) => c.codePointAt(0)!.toString(16))
    .join('x')}`;
}

/** The distinct 1- and 2-character tokens of some texts, space-separated; whitespace is never part of a gram. */
export function gramsOf(texts: readonly string[]): string {
  const tokens = new Set<string>();
  for (const text of texts) {
    const chars = Array.from(text.toLowerCase());
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (/\s/u.test(c)) continue;
      tokens.add(gramToken(c));
      const next = chars[i + 1];
      if (next !== undefined && !/\s/u.test(next)) tokens.add(gramToken(c + next));
    }
  }
  return [...tokens].join(' ');
}

const HAN_RUN = /\p{Script=Han}+/gu;
/** Runs longer than this are indexed by their first characters only (a question's runs are short). */
const MAX_RUN = 24;

/** The syllables of a run of Chinese characters, without tones, ü written v (绿 → lv). */
function syllables(run: string): string[] {
  return pinyin(run, { toneType: 'none', type: 'array', v: true }).map((s) => s.toLowerCase().replace(/[^a-z]/g, ''));
}

/**
 * Whether a keyword is found by any of these pinyin readings the way the index finds it (a prefix
 * of its pinyin or initials from some syllable on): to mark the keyword a pinyin search matched.
 */
export function keywordMatchesPinyin(keyword: string, readings: readonly string[]): boolean {
  const tokens = pinyinTokensOf('', [keyword]).py.split(' ');
  return tokens.some((t) => t !== '' && readings.some((p) => t.startsWith(p)));
}

/** The pinyin tokens of an entry's question and keywords. */
export function pinyinTokensOf(question: string, keywords: readonly string[]): { py: string; pykw: string } {
  const py = new Set<string>();
  const pykw = new Set<string>();
  const runsOf = (text: string) => (text.match(HAN_RUN) ?? []).map((r) => Array.from(r).slice(0, MAX_RUN).join(''));
  const addSuffixes = (full: string[]) => {
    const initials = full.map((s) => s.charAt(0));
    for (let k = 0; k < full.length; k++) {
      py.add(full.slice(k).join(''));
      py.add(initials.slice(k).join(''));
    }
  };
  for (const run of runsOf(question)) addSuffixes(syllables(run));
  for (const keyword of keywords) {
    const runs = runsOf(keyword).map(syllables);
    for (const full of runs) addSuffixes(full);
    const whole = runs.flat();
    if (whole.length > 0) {
      pykw.add(whole.join(''));
      pykw.add(whole.map((s) => s.charAt(0)).join(''));
    }
  }
  py.delete('');
  pykw.delete('');
  return { py: [...py].join(' '), pykw: [...pykw].join(' ') };
}
