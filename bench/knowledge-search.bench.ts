/**
 * Knowledge search at 2,000 entries: the time KnowledgeRepository.search takes (query
 * understanding, the index lookups, ranking, snippets; what GET /api/knowledge spends beyond
 * HTTP) per kind of query a seat lawyer types, on a SQLite file like the product's.
 *
 *   npx tsx bench/knowledge-search.bench.ts [--entries 2000] [--rounds 300] [--json] [--smoke]
 *
 * The knowledge base is the 84-entry starter set plus variants of it (the same entry with its
 * question prefixed by a district and a situation) up to `--entries`. Every sample query is
 * checked, untimed, to find its expected entry first (被打了 → the entry for 被打, qx → an entry
 * whose keyword is 欠薪 …); a failed check exits with status 1. The index rebuild a database
 * from before the pinyin index gets at start (ensureSearchIndex) is timed too. `--smoke`
 * (npm test): 500 entries, 5 rounds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { KnowledgeRepository, TERMS_INDEX_KEY, type KnowledgeSearchHit } from '../server/src/features/knowledge/knowledge-repository.js';
import { STARTER_KNOWLEDGE } from '../server/src/seed/knowledge-entries.js';
import { openDatabase } from '../server/src/store/db.js';
import { Checks, SMOKE, writeResult } from './report.js';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : 0);
const entries = arg('--entries') || (SMOKE ? 500 : 2000);
const rounds = arg('--rounds') || (SMOKE ? 5 : 300);
const json = args.includes('--json');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-kbench-'));
const db = openDatabase(path.join(dir, 'bench.db'));
const repo = new KnowledgeRepository(db);

const DISTRICTS = ['东城区', '西山县', '南湖区', '北岭镇', '开发区', '城关镇'];
const SITUATIONS = ['外地来电', '老人来电', '第二次来电', '家属代问', '企业来电'];
const t0 = performance.now();
db.transaction(() => {
  for (let i = 0; i < entries; i++) {
    const base = STARTER_KNOWLEDGE[i % STARTER_KNOWLEDGE.length]!;
    const variant = Math.floor(i / STARTER_KNOWLEDGE.length);
    const question =
      variant === 0
        ? base.question
        : `(${DISTRICTS[variant % DISTRICTS.length]}·${SITUATIONS[variant % SITUATIONS.length]})${base.question}`;
    repo.create({ ...base, question }, 'bench', 1);
  }
})();
const fillMs = performance.now() - t0;
/** Which starter entry each id is (a variant counts as its starter entry). */
const baseOf = (id: number) => STARTER_KNOWLEDGE[(id - 1) % STARTER_KNOWLEDGE.length]!;

type Expect = (hit: KnowledgeSearchHit) => boolean;
const keyword =
  (k: string): Expect =>
  (h) =>
    baseOf(h.id).keywords.includes(k);
const KINDS: { kind: string; queries: { q: string; category?: string; expect: Expect; what: string }[] }[] = [
  {
    kind: 'trigram (3+ characters)',
    queries: [
      { q: '工伤认定', expect: keyword('工伤认定'), what: 'keyword 工伤认定' },
      { q: '人身安全保护令', expect: keyword('人身安全保护令'), what: 'keyword 人身安全保护令' },
      { q: '七天无理由', expect: keyword('七天无理由'), what: 'keyword 七天无理由' },
    ],
  },
  {
    kind: 'short word (1-2 characters)',
    queries: [
      { q: '欠薪', expect: keyword('欠薪'), what: 'keyword 欠薪' },
      { q: '彩礼', expect: keyword('彩礼'), what: 'keyword 彩礼' },
      { q: '离婚', expect: (h) => h.categoryId === 'marriage-family', what: 'a 婚姻家庭 entry' },
      { q: '法', expect: () => true, what: 'any entry (matches nearly all)' },
    ],
  },
  {
    kind: 'phrase with particles',
    queries: [
      { q: '被打了', expect: keyword('被打'), what: 'keyword 被打' },
      { q: '欠我工资怎么办', expect: keyword('欠薪'), what: 'keyword 欠薪' },
      { q: '老公打我怎么办', expect: keyword('家庭暴力'), what: 'keyword 家庭暴力' },
      { q: '出车祸了怎么办', expect: keyword('交通事故'), what: 'keyword 交通事故' },
      { q: '老板欠薪了', expect: keyword('欠薪'), what: 'keyword 欠薪' },
    ],
  },
  {
    kind: 'pinyin',
    queries: [
      { q: 'qianxin', expect: keyword('欠薪'), what: 'keyword 欠薪' },
      { q: 'qian xin', expect: keyword('欠薪'), what: 'keyword 欠薪' },
      { q: 'lihun', expect: keyword('离婚'), what: 'keyword 离婚' },
      { q: 'gongshang', expect: keyword('工伤'), what: 'keyword 工伤' },
    ],
  },
  {
    kind: 'initials',
    queries: [
      { q: 'qx', expect: keyword('欠薪'), what: 'keyword 欠薪' },
      { q: 'jtsg', expect: keyword('交通事故'), what: 'keyword 交通事故' },
      { q: 'flyz', expect: keyword('法律援助'), what: 'keyword 法律援助' },
    ],
  },
  {
    kind: 'sentence',
    queries: [
      { q: '楼上邻居家漏水了不赔', expect: keyword('漏水'), what: 'keyword 漏水' },
      {
        q: '我在工地干活老板拖欠工资三个月不给',
        expect: (h) => baseOf(h.id).keywords.includes('欠薪') || baseOf(h.id).question.includes('拖欠工资'),
        what: 'an entry on 拖欠工资',
      },
    ],
  },
  {
    kind: 'eight one-character words',
    queries: [{ q: '法 律 援 助 欠 薪 工 伤', expect: keyword('法律援助'), what: 'keyword 法律援助' }],
  },
  {
    kind: "call's category, no words",
    queries: [{ q: '', category: 'labor', expect: (h) => h.categoryId === 'labor', what: 'a 劳动 entry' }],
  },
];

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const checks = new Checks();
const LIMIT = 10;
// Correctness, untimed (and a warm-up).
for (const { queries } of KINDS) {
  for (const { q, category, expect, what } of queries) {
    const hits = repo.search({ q, category: category ?? null, limit: LIMIT });
    const first = hits[0];
    checks.expect(
      `${JSON.stringify(q)}${category ? ` (${category})` : ''} finds ${what} first`,
      first !== undefined && expect(first),
      first ? `#${first.id} ${first.question} (${hits.length} hits)` : 'no hit',
    );
  }
}

const perKind: Record<string, { n: number; p50Ms: number; p99Ms: number; maxMs: number }> = {};
const all: number[] = [];
for (const { kind, queries } of KINDS) {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const { q, category } of queries) {
      const t = performance.now();
      repo.search({ q, category: category ?? null, limit: LIMIT });
      times.push(performance.now() - t);
    }
  }
  all.push(...times);
  perKind[kind] = { n: times.length, p50Ms: pct(times, 50), p99Ms: pct(times, 99), maxMs: Math.max(...times) };
}

// A database from before the pinyin index (migration 6 added an empty knowledge_terms): every entry indexed at start.
db.prepare('DELETE FROM settings WHERE key = ?').run(TERMS_INDEX_KEY);
db.prepare("INSERT INTO knowledge_terms (knowledge_terms) VALUES ('delete-all')").run();
const r0 = performance.now();
const reindexed = new KnowledgeRepository(db).ensureSearchIndex(2);
const reindexMs = performance.now() - r0;
checks.equal('entries indexed again at start', reindexed, entries);
const afterReindex = repo.search({ q: 'qx', limit: LIMIT })[0];
checks.expect(
  'qx still finds 欠薪 first after the rebuild',
  afterReindex !== undefined && keyword('欠薪')(afterReindex),
  afterReindex?.question ?? 'no hit',
);

db.close();
fs.rmSync(dir, { recursive: true, force: true });

const result = {
  entries,
  rounds,
  limit: LIMIT,
  fillMs,
  reindexMs,
  overall: { n: all.length, p50Ms: pct(all, 50), p99Ms: pct(all, 99), maxMs: Math.max(...all) },
  perKind,
};
const file = writeResult('knowledge-search', { ...result, smoke: SMOKE, checks: checks.all });
if (json) console.log(JSON.stringify(result));
else {
  console.log(`knowledge search, ${entries} entries, ${rounds} rounds of each query, limit ${LIMIT} (SQLite file, WAL)`);
  for (const [kind, s] of Object.entries(perKind)) {
    console.log(`  ${kind.padEnd(28)} n=${s.n} p50=${s.p50Ms.toFixed(3)} ms p99=${s.p99Ms.toFixed(3)} ms max=${s.maxMs.toFixed(3)} ms`);
  }
  console.log(
    `  ${'all'.padEnd(28)} n=${result.overall.n} p50=${result.overall.p50Ms.toFixed(3)} ms p99=${result.overall.p99Ms.toFixed(3)} ms`,
  );
  console.log(
    `  filling ${entries} entries: ${fillMs.toFixed(0)} ms; rebuilding the gram/pinyin index at start: ${reindexMs.toFixed(0)} ms`,
  );
  console.log(`result written to ${file}`);
}
checks.finish('knowledge-search.bench');
