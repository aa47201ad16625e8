import { maskNumber, type VisitTaskView } from '../../contract/index.js';
import { isOverdue } from '../../domain/stats/callback-completion.js';
import type { VisitTask } from './visit-repository.js';

/** What a browser may see of a 回访 task: never the full number. */
export function visitTaskView(t: VisitTask, now: number): VisitTaskView {
  return {
    id: t.id,
    source: t.source,
    callId: t.callId,
    callerMasked: maskNumber(t.caller),
    categoryId: t.categoryId,
    centreId: t.centreId,
    seatId: t.seatId,
    assigneeSeatId: t.assigneeSeatId,
    createdAt: t.createdAt,
    dueAt: t.dueAt,
    nextAttemptAt: t.nextAttemptAt,
    overdue: isOverdue(t, now),
    attempts: t.attempts,
    status: t.status,
    outcome: t.outcome,
    closedAt: t.closedAt,
    note: t.note,
  };
}
