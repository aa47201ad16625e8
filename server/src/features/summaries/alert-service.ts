import type { Logger } from 'pino';
import type { CallSummaryInput } from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import type { SessionUser } from '../auth/auth-service.js';
import type { AuditInput } from '../audit/audit-service.js';
import type { CallService } from '../calls/call-service.js';
import type { ScopeService } from '../users/scope-service.js';
import type { AlertRecord, AlertRepository } from './alert-repository.js';

/**
 * Major-matter alerts (重大事项上报): the answering seat reports one (or files a risk-flagged
 * summary); supervisors are told at once and acknowledge it. One alert per call: a second
 * report replaces its note and opens it again (new information is for a supervisor to read,
 * even after an earlier acknowledgement).
 */
export class AlertService {
  constructor(
    private readonly o: {
      db: Db;
      alerts: AlertRepository;
      calls: CallService;
      clock: Clock;
      logger: Logger;
      /** Pushes a raised, updated or acknowledged alert to the supervisors at once. */
      onAlert: (alert: AlertRecord) => void;
      /** Supervisors and managers see the alerts of their centres only. */
      scope?: ScopeService;
      audit?: (entry: AuditInput) => void;
    },
  ) {}

  /** The answering seat reports a major matter on a call it may see; `readNote` parses the request once that is known. */
  report(user: SessionUser, callId: string, readNote: () => string): { alert: AlertRecord; created: boolean } {
    const call = this.o.calls.visibleCall(user, callId);
    const seatId = this.o.calls.answeringUserSeat(user, call, '上报重大事项');
    const result = this.raise(call.id, seatId, readNote(), this.o.clock.now());
    this.publish(result.alert);
    return result;
  }

  /**
   * Raises the call's alert from a risk-flagged summary unless the call already has one
   * (inside the caller's transaction). The caller publishes it once committed.
   */
  raiseFromSummary(callId: string, seatId: string, input: CallSummaryInput, now: number): AlertRecord | null {
    if (!input.riskFlag || this.o.alerts.alertOfCall(callId)) return null;
    return this.raise(callId, seatId, input.riskNote, now).alert;
  }

  /** The alerts the viewer's scope covers, newest first. */
  list(viewer: SessionUser, openOnly: boolean, limit: number): AlertRecord[] {
    const inScope = this.inScope(viewer);
    return this.o.alerts
      .list({ openOnly, limit: inScope ? 5000 : limit })
      .filter((a) => !inScope || inScope(a))
      .slice(0, limit);
  }

  private inScope(viewer: SessionUser): ((a: AlertRecord) => boolean) | null {
    const scope = this.o.scope;
    if (!scope || scope.centresOf(viewer) === null) return null;
    const sees = scope.callFilter(viewer);
    return (a) => sees({ homeCentreId: a.homeCentreId, seatIds: [a.seatId] });
  }

  /** Acknowledges an open alert (null when there is none); an alert already acknowledged keeps its first acknowledgement. */
  acknowledge(id: number, by: SessionUser): AlertRecord | null {
    const { alerts, clock } = this.o;
    const result = immediateTransaction(this.o.db, () => {
      const found = alerts.alert(id);
      const inScope = this.inScope(by);
      if (!found || (inScope && !inScope(found))) return null;
      const changed = alerts.acknowledge(id, { userId: by.id, name: by.displayName }, clock.now());
      const alert = alerts.alert(id);
      if (changed && alert)
        this.o.audit?.({ actor: by, action: 'alert.acknowledge', target: `alert:${id}`, after: { callId: alert.callId } });
      return alert ? { alert, changed } : null;
    });
    if (result?.changed) this.publish(result.alert);
    return result?.alert ?? null;
  }

  /** Tells the supervisors; a failure to push never undoes what is committed. */
  publish(alert: AlertRecord): void {
    try {
      this.o.onAlert(alert);
    } catch (err) {
      this.o.logger.error({ err, alertId: alert.id }, 'could not push a major-matter alert');
    }
  }

  private raise(callId: string, seatId: string, note: string, at: number): { alert: AlertRecord; created: boolean } {
    const { alerts } = this.o;
    return immediateTransaction(this.o.db, () => {
      const existing = alerts.alertOfCall(callId);
      if (existing) alerts.reopenWithNote(callId, note, at);
      else alerts.insert(callId, seatId, note, at);
      return { alert: alerts.alertOfCall(callId)!, created: existing === null };
    });
  }
}
