/** 回访/回电 completion (domain/stats/callback-completion.ts) against hand-counted tasks. */
import { describe, expect, it } from 'vitest';
import { callbackCompletion, isOverdue, type CallbackTaskFact } from '../../server/src/domain/stats/callback-completion.js';
import { visitFigures } from '../../server/src/domain/stats/satisfaction.js';

const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 8, 0);

const task = (source: string, dueIn: number, closedIn: number | null): CallbackTaskFact => ({
  source,
  dueAt: NOW + dueIn * H,
  status: closedIn === null ? 'open' : 'closed',
  closedAt: closedIn === null ? null : NOW + closedIn * H,
});

describe('callback completion', () => {
  const tasks = [
    task('callback-request', -10, -12), // done 2 h before its due time: on time
    task('callback-request', -10, -10), // done exactly at its due time: on time
    task('callback-request', -10, -2), // done 8 h late
    task('callback-request', -1, null), // open, due an hour ago: overdue
    task('dissatisfied', -30, -29), // late by an hour
    task('dissatisfied', 5, null), // open, due later today: pending
    task('dissatisfied', 0, null), // due this very moment, open: not overdue yet (due_at < now)
    task('summary-callback', 2, -1), // done before it was due: on time
  ];

  it('counts each task due once: on time, late, overdue or pending, and the on-time share of those whose time has come', () => {
    const r = callbackCompletion(tasks, NOW);
    expect(r.total).toEqual({ due: 8, doneOnTime: 3, doneLate: 2, overdue: 1, pending: 2, onTimeRate: 3 / 6 });
    expect(r.bySource).toEqual([
      { key: 'callback-request', figures: { due: 4, doneOnTime: 2, doneLate: 1, overdue: 1, pending: 0, onTimeRate: 2 / 4 } },
      { key: 'dissatisfied', figures: { due: 3, doneOnTime: 0, doneLate: 1, overdue: 0, pending: 2, onTimeRate: 0 } },
      { key: 'summary-callback', figures: { due: 1, doneOnTime: 1, doneLate: 0, overdue: 0, pending: 0, onTimeRate: 1 } },
    ]);
  });

  it('has no rate when no task has come due, and nothing at all without tasks', () => {
    expect(callbackCompletion([task('dissatisfied', 3, null)], NOW).total).toEqual({
      due: 1,
      doneOnTime: 0,
      doneLate: 0,
      overdue: 0,
      pending: 1,
      onTimeRate: null,
    });
    expect(callbackCompletion([], NOW)).toEqual({
      total: { due: 0, doneOnTime: 0, doneLate: 0, overdue: 0, pending: 0, onTimeRate: null },
      bySource: [],
    });
  });

  it('overdue is one rule: the completion figures, the 回访 figures and the worklist flag agree', () => {
    const overdue = tasks.filter((t) => isOverdue(t, NOW)).length;
    expect(overdue).toBe(1);
    expect(callbackCompletion(tasks, NOW).total.overdue).toBe(overdue);
    const visits = visitFigures(
      tasks.map((t) => ({ source: t.source, createdAt: NOW - 48 * H, dueAt: t.dueAt, status: t.status, reachedAt: null })),
      NOW,
    );
    expect(visits.overdue).toBe(overdue);
  });
});
