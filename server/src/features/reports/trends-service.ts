import type { ReportQuery, TrendsView, RiskHitView } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import type { CallFact } from '../../domain/stats/call-fact.js';
import { factFilter } from '../../domain/stats/report.js';
import { categoryJumps, documentFrequency, rising, riskWordsIn, TREND_MIN_COUNT, type Segmenter } from '../../domain/stats/trends.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import type { AuditInput } from '../audit/audit-service.js';
import type { SessionUser } from '../auth/auth-service.js';
import { dayBounds, localDay } from '../shared/local-day.js';
import type { ScopedUser } from '../users/scope-service.js';
import type { ReportService } from './report-service.js';

/** The watch list a new database starts with (configurable on the report page). */
export const DEFAULT_RISK_WORDS = ['群体', '集体', '讨薪', '自杀', '跳楼', '上访', '报复', '爆炸', '极端'];
const RISK_KEY = 'reports.riskWords';

interface SummaryText {
  topic?: string;
  question?: string;
  answer?: string;
  riskNote?: string;
  confidential?: boolean;
}

interface Row {
  call_id: string;
  enqueued_at: number;
  centre_id: string;
  category_id: string;
  seat_id: string | null;
  json: string;
}

export interface TrendsServiceDeps {
  db: Db;
  reports: ReportService;
  segment: Segmenter;
  stopWords: ReadonlySet<string>;
  clock: Clock;
  audit: (entry: AuditInput) => void;
}

/** 舆情/风险预警: rising topics and categories of a period against the previous one, and risk-word hits. */
export class TrendsService {
  private readonly selectTexts;
  constructor(private readonly deps: TrendsServiceDeps) {
    this.selectTexts = deps.db.prepare(`SELECT f.call_id, f.enqueued_at, f.centre_id, f.category_id, f.seat_id, s.json
      FROM call_facts f JOIN call_summaries s ON s.call_id = f.call_id WHERE f.enqueued_at >= ? AND f.enqueued_at < ?
      ORDER BY f.enqueued_at DESC`);
  }

  riskWords(): string[] {
    const row = this.deps.db.prepare('SELECT value FROM settings WHERE key = ?').get(RISK_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as string[]) : DEFAULT_RISK_WORDS;
  }

  setRiskWords(actor: SessionUser, words: string[]): string[] {
    const clean = [...new Set(words.map((w) => w.trim()).filter(Boolean))];
    if (clean.length === 0) throw new DomainError('VALIDATION', '风险词表不能为空');
    const before = this.riskWords();
    immediateTransaction(this.deps.db, () => {
      this.deps.db
        .prepare(
          'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
        )
        .run(RISK_KEY, JSON.stringify(clean), this.deps.clock.now());
      this.deps.audit({ actor, action: 'report.risk-words', target: 'risk-words', before, after: clean });
    });
    return clean;
  }

  /** Summaries of calls that arrived in [from, to), in the user's scope. */
  private texts(user: ScopedUser, q: Pick<ReportQuery, 'from' | 'to' | 'centres'>, from: number, to: number): Row[] {
    const r = this.deps.reports.resolve(user, { ...q, categories: null, seats: null, hours: null, weekdays: null });
    const keep = factFilter(r.filter, this.deps.reports.options());
    return (this.selectTexts.all(from, to) as Row[]).filter((x) =>
      keep({
        homeCentreId: x.centre_id,
        seatId: x.seat_id,
        categoryId: x.category_id,
        enqueuedAt: x.enqueued_at,
        missedBy: [],
      } as unknown as CallFact),
    );
  }

  private hits(rows: Row[], words: string[], limit: number): RiskHitView[] {
    const out: RiskHitView[] = [];
    for (const row of rows) {
      const s = JSON.parse(row.json) as SummaryText;
      const found = riskWordsIn([s.topic, s.question, s.answer, s.riskNote].filter(Boolean).join(' '), words);
      if (found.length === 0) continue;
      out.push({
        callId: row.call_id,
        at: row.enqueued_at,
        seatId: row.seat_id,
        categoryId: row.category_id,
        words: found,
        topic: s.confidential ? '(保密)' : (s.topic ?? ''),
      });
      if (out.length >= limit) break;
    }
    return out;
  }

  trends(user: ScopedUser, q: Pick<ReportQuery, 'from' | 'to' | 'centres'>): TrendsView {
    this.deps.reports.catchUp();
    const cfg = this.deps.reports.options();
    const first = dayBounds(q.from, cfg.utcOffsetMinutes);
    const last = dayBounds(q.to, cfg.utcOffsetMinutes);
    if (!first || !last) throw new DomainError('VALIDATION', '日期不存在');
    const from = first.from;
    const to = last.to;
    const prevFrom = from - (to - from);
    const cur = this.texts(user, q, from, to);
    const prev = this.texts(user, q, prevFrom, from);
    const text = (rows: Row[]) =>
      rows.map((r) => {
        const s = JSON.parse(r.json) as SummaryText;
        return [s.topic, s.question, s.answer].filter(Boolean).join(' ');
      });
    const { segment, stopWords } = this.deps;
    const curDf = documentFrequency(text(cur), segment, stopWords);
    const prevDf = documentFrequency(text(prev), segment, stopWords);
    const byCat = (rows: Row[]) => rows.reduce((m, r) => m.set(r.category_id, (m.get(r.category_id) ?? 0) + 1), new Map<string, number>());
    const words = this.riskWords();
    return {
      from: q.from,
      to: q.to,
      previousFrom: localDay(prevFrom, cfg.utcOffsetMinutes),
      summaries: cur.length,
      previousSummaries: prev.length,
      rising: rising(curDf, prevDf, { minCount: TREND_MIN_COUNT, limit: 30 }),
      categories: categoryJumps(byCat(cur), byCat(prev), 3),
      riskWords: words,
      riskHits: this.hits(cur, words, 200),
    };
  }

  /** Today's summaries with a watch-list word, in the user's scope (for supervisors), newest first. */
  todaysRiskHits(user: ScopedUser): RiskHitView[] {
    this.deps.reports.catchUp();
    const cfg = this.deps.reports.options();
    const day = localDay(this.deps.clock.now(), cfg.utcOffsetMinutes);
    const b = dayBounds(day, cfg.utcOffsetMinutes)!;
    return this.hits(this.texts(user, { from: day, to: day, centres: null }, b.from, b.to), this.riskWords(), 100);
  }
}
