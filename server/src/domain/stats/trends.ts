/**
 * Trends from the summaries (舆情/风险预警). Pure: the caller passes a word segmenter (features/
 * reports uses @node-rs/jieba) and the texts of two periods.
 *
 * - A term counts once per summary (document frequency), so one long summary cannot make a trend.
 *   Terms are segmenter words of two or more characters that are not stop words, numbers or
 *   quantities (2026, 三个月, 二十名, 第一) or punctuation.
 * - Rising terms: share of the period's summaries that mention the term against the previous
 *   period's, smoothed (+1 summary each side): ratio = ((c + 1) / (n + 1)) ÷ ((p + 1) / (m + 1)).
 *   A term needs `minCount` mentions in the period (TREND_MIN_COUNT: a word seen once or twice is
 *   not a trend), more mentions than in the previous period (equal counts are not a rise, even when
 *   the period has fewer summaries), and a ratio above 1. The method sees words that become more
 *   frequent; it cannot see meaning (a new phrasing of an old problem, irony, a topic spread
 *   over many words), and a small period makes small counts noisy.
 * - Category jumps: calls per category against the previous period, same smoothing.
 * - Risk hits: summaries containing a watch-list word as a substring (not only as a segmented
 *   word, so 讨薪 is found inside 集体讨薪).
 */

export type Segmenter = (text: string) => string[];

const NOISE = /^[\d\p{P}\p{S}\s]+$/u;
/** A number or quantity in Chinese numerals: 三个, 六个月, 二十名, 两周岁, 第一, 半年. */
const QUANTITY = /^第?[零〇一二两三四五六七八九十百千万亿半几数]+[个年月日天周岁名人倍次位件元号份条项]*$/u;

/**
 * The fewest summaries of the period that must mention a term for it to be a rising term (stated
 * in contract/report-definitions.ts 上升话题 and docs/definitions.md *Trends*).
 */
export const TREND_MIN_COUNT = 3;

/** Per term, in how many of the texts it occurs. */
export function documentFrequency(
  texts: Iterable<string>,
  segment: Segmenter,
  stop: ReadonlySet<string>,
): { counts: Map<string, number>; docs: number } {
  const counts = new Map<string, number>();
  let docs = 0;
  for (const t of texts) {
    docs++;
    const seen = new Set<string>();
    for (const w of segment(t)) {
      const term = w.trim();
      if (term.length < 2 || stop.has(term) || NOISE.test(term) || QUANTITY.test(term) || seen.has(term)) continue;
      seen.add(term);
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  return { counts, docs };
}

export interface Rising {
  term: string;
  count: number;
  previous: number;
  ratio: number;
}

export function rising(
  current: { counts: ReadonlyMap<string, number>; docs: number },
  previous: { counts: ReadonlyMap<string, number>; docs: number },
  opts: { minCount: number; limit: number },
): Rising[] {
  const out: Rising[] = [];
  for (const [term, c] of current.counts) {
    if (c < opts.minCount) continue;
    const p = previous.counts.get(term) ?? 0;
    if (c <= p) continue;
    const ratio = (c + 1) / (current.docs + 1) / ((p + 1) / (previous.docs + 1));
    if (ratio > 1) out.push({ term, count: c, previous: p, ratio });
  }
  return out.sort((a, b) => b.ratio - a.ratio || b.count - a.count || (a.term < b.term ? -1 : 1)).slice(0, opts.limit);
}

export interface CategoryJump {
  categoryId: string;
  count: number;
  previous: number;
  ratio: number;
}

export function categoryJumps(
  current: ReadonlyMap<string, number>,
  previous: ReadonlyMap<string, number>,
  minCount: number,
): CategoryJump[] {
  const curTotal = [...current.values()].reduce((a, b) => a + b, 0);
  const prevTotal = [...previous.values()].reduce((a, b) => a + b, 0);
  const out: CategoryJump[] = [];
  for (const [categoryId, count] of current) {
    if (count < minCount) continue;
    const prev = previous.get(categoryId) ?? 0;
    const ratio = (count + 1) / (curTotal + 1) / ((prev + 1) / (prevTotal + 1));
    out.push({ categoryId, count, previous: prev, ratio });
  }
  return out.sort((a, b) => b.ratio - a.ratio);
}

/** The watch-list words a text contains. */
export function riskWordsIn(text: string, words: readonly string[]): string[] {
  return words.filter((w) => w.length > 0 && text.includes(w));
}
