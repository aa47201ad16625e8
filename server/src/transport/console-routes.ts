import express from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  MajorReportSchema,
  MyCallsQuerySchema,
  SummaryDraftSchema,
  callSummaryInputSchema,
  maskNumber,
  type CallSummaryInput,
  type CallSummaryView,
  type CallerHistory,
  type CallerHistoryEntry,
  type DraftSaved,
  type MajorAlert,
  type MyCallsResponse,
  type SummaryState,
  type UserView,
} from '../contract/index.js';
import { localParts } from '../domain/calendar.js';
import type { Call } from '../domain/call.js';
import type { Clock } from '../domain/clock.js';
import type { AcdEngine } from '../domain/engine.js';
import { DomainError } from '../domain/errors.js';
import type { SqliteEngineStore } from '../store/engine-store.js';
import type { AlertRecord, StoredSummary, SummaryRepo } from '../store/summaries.js';
import type { AuthService } from './auth.js';
import { ValidationError, parseOrThrow } from './errors.js';
import { apiErrorHandler, ok, requireUserWith, route } from './http.js';
import { callRecordView } from './views.js';

export interface ConsoleRouteDeps {
  auth: AuthService;
  engine: AcdEngine;
  engineStore: SqliteEngineStore;
  summaries: SummaryRepo;
  clock: Clock;
  logger: Logger;
  /** Pushes a raised, updated or acknowledged alert to the supervisors at once. */
  onAlert: (alert: MajorAlert) => void;
}

const DAY_MS = 86_400_000;
const STAFF_ROLES = new Set<UserView['role']>(['supervisor', 'manager', 'admin']);

const HISTORY_MAX = 50;
const HistoryQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'limit 必须是整数' })
    .int('limit 必须是整数')
    .min(1, 'limit 至少为 1')
    .max(HISTORY_MAX, `limit 最多为 ${HISTORY_MAX}`)
    .default(10),
});
const AlertListQuerySchema = z.object({
  open: z.enum(['0', '1', 'true', 'false'], { error: 'open 须为 1 或 0' }).optional(),
  limit: z.coerce.number({ error: 'limit 必须是整数' }).int('limit 必须是整数').min(1, 'limit 至少为 1').max(500, 'limit 最多为 500').default(100),
});

/** The seat that answered the call, if one did. */
const answeringSeat = (call: Call): string | null => {
  for (const e of call.events) if (e.type === 'answered') return e.seatId;
  return null;
};

/** The seat the call rings at, talks with or wraps up at now, if any. */
const currentSeat = (call: Call): string | null => {
  const st = call.state;
  return st.kind === 'ringing' || st.kind === 'talking' || st.kind === 'wrap-up' ? st.seatId : null;
};

/** Local calendar day (YYYY-MM-DD) of `at` in the routing configuration's fixed offset. */
const localDay = (at: number, utcOffsetMinutes: number) => localParts(at, utcOffsetMinutes).date;

/** [start, end) in ms of a local day, or null when the date does not exist (2026-02-30). */
function dayBounds(day: string, utcOffsetMinutes: number): { from: number; to: number } | null {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  if (new Date(midnightUtc).toISOString().slice(0, 10) !== day) return null;
  const from = midnightUtc - utcOffsetMinutes * 60_000;
  return { from, to: from + DAY_MS };
}

export function majorAlertView(a: AlertRecord): MajorAlert {
  return {
    id: a.id,
    callId: a.callId,
    seatId: a.seatId,
    seatName: a.seatName,
    categoryId: a.categoryId,
    callerMasked: maskNumber(a.caller),
    note: a.note,
    raisedAt: a.raisedAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
  };
}

/**
 * The seat console's REST routes: call summaries (小结) and drafts, the caller's history,
 * "my calls", and major-matter alerts (重大事项上报). Mount it under /api before the main
 * router (whose last handler answers every unknown path with 404).
 *
 * Who sees a call: staff (supervisor, manager, admin) every call; a seat the calls it answered
 * and the call ringing at, talking with or wrapping up at it. Anyone else gets the same 404
 * whether the call exists or not.
 */
export function createConsoleRouter(deps: ConsoleRouteDeps): express.Router {
  const { engine, engineStore, summaries, clock, logger } = deps;
  const r = express.Router();
  const json = express.json({ limit: '64kb' });
  const requireUser = requireUserWith(deps.auth);
  const anyUser = requireUser();
  const seatUser = requireUser('seat');
  const staff = requireUser('supervisor', 'manager', 'admin');

  reopenFiledGates(deps);

  const offset = () => engine.config.utcOffsetMinutes;
  const loadCall = (id: string): Call | null => engine.getCall(id) ?? engineStore.loadCall(id);

  /** The call if this user may see it; otherwise the same 404 whether it exists or not. */
  function visibleCall(user: UserView, callId: string): Call {
    const call = loadCall(callId);
    const seatId = user.seatId;
    const visible =
      call !== null &&
      (STAFF_ROLES.has(user.role) || (seatId !== null && (answeringSeat(call) === seatId || currentSeat(call) === seatId)));
    if (!visible) throw new DomainError('NOT_FOUND', `没有找到编号为 ${callId} 的来电,或您无权查看`);
    return call!;
  }

  /** The user's seat when it answered the call; `action` completes the refusal sentence. */
  function answeringUserSeat(user: UserView, call: Call, action: string): string {
    const seatId = user.seatId;
    if (seatId === null || answeringSeat(call) !== seatId) {
      throw new DomainError('FORBIDDEN', `只有接听本通电话的坐席可以${action}`);
    }
    return seatId;
  }

  const summaryView = (s: StoredSummary, viewer: UserView, now: number): CallSummaryView => ({
    ...s.input,
    callId: s.callId,
    seatId: s.seatId,
    seatName: s.seatName,
    filedAt: s.filedAt,
    updatedAt: s.updatedAt,
    revision: s.revision,
    amendable: viewer.seatId === s.seatId && localDay(s.filedAt, offset()) === localDay(now, offset()),
  });

  /** A filed summary's input: the schema's rules, and a category the configuration knows. */
  function parseSummary(body: unknown, now: number): CallSummaryInput {
    const fields: Record<string, string[]> = {};
    let input: CallSummaryInput | null = null;
    try {
      input = parseOrThrow(callSummaryInputSchema(now), body);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      Object.assign(fields, err.fields);
    }
    const categoryId = (body as { categoryId?: unknown } | null)?.categoryId;
    if (typeof categoryId === 'string' && categoryId !== '' && !engine.config.categories.some((c) => c.id === categoryId)) {
      (fields.categoryId ??= []).push(`未知的咨询类别 ${categoryId}`);
    }
    if (Object.keys(fields).length > 0 || input === null) throw new ValidationError(fields);
    return input;
  }

  /** Raises the call's alert from a risk-flagged summary unless the call already has one (inside the caller's transaction). */
  function alertFromSummary(callId: string, seatId: string, input: CallSummaryInput, now: number): AlertRecord | null {
    if (!input.riskFlag || summaries.alertOfCall(callId)) return null;
    return summaries.raiseAlert(callId, seatId, input.riskNote, now).alert;
  }

  const publish = (a: AlertRecord) => {
    try {
      deps.onAlert(majorAlertView(a));
    } catch (err) {
      logger.error({ err, alertId: a.id }, 'could not push a major-matter alert');
    }
  };

  const entries = (calls: Call[], viewer: UserView, now: number): CallerHistoryEntry[] => {
    const filed = summaries.summariesOf(calls.map((c) => c.id));
    return calls.map((c) => {
      const s = filed.get(c.id);
      return { record: callRecordView(c, now), summary: s ? summaryView(s, viewer, now) : null };
    });
  };
  const loadAll = (ids: string[]): Call[] => ids.map(loadCall).filter((c): c is Call => c !== null);

  // ------------------------------------------------------------------ summaries

  r.get(
    '/calls/:id/summary',
    anyUser,
    route((req, res) => {
      const user = req.user!;
      const call = visibleCall(user, String(req.params.id));
      const now = clock.now();
      const s = summaries.summary(call.id);
      const d = user.seatId ? summaries.draft(call.id, user.seatId) : null;
      ok<SummaryState>(res, {
        summary: s ? summaryView(s, user, now) : null,
        draft: d ? { callId: d.callId, draft: d.draft, savedAt: d.savedAt } : null,
      });
    }),
  );

  r.put(
    '/calls/:id/summary/draft',
    anyUser,
    json,
    route((req, res) => {
      const user = req.user!;
      const call = visibleCall(user, String(req.params.id));
      const seatId = answeringUserSeat(user, call, '保存小结草稿');
      if (summaries.summary(call.id)) {
        throw new DomainError('CONFLICT', '本通电话的小结已提交,草稿不再保存;如需修改请使用修改功能');
      }
      const draft = parseOrThrow(SummaryDraftSchema, req.body ?? {});
      const now = clock.now();
      summaries.saveDraft(call.id, seatId, draft, now);
      ok<DraftSaved>(res, { savedAt: now });
    }),
  );

  r.post(
    '/calls/:id/summary',
    anyUser,
    json,
    route((req, res) => {
      const user = req.user!;
      const call = visibleCall(user, String(req.params.id));
      const seatId = answeringUserSeat(user, call, '提交小结');
      const alreadyFiled = () => new DomainError('CONFLICT', '本通电话的小结已提交,如需修改请使用修改功能');
      if (summaries.summary(call.id)) throw alreadyFiled();
      const now = clock.now();
      const input = parseSummary(req.body, now);

      const alert = summaries.transaction(() => {
        if (summaries.summary(call.id)) throw alreadyFiled();
        summaries.insertSummary(call.id, seatId, input, now);
        summaries.deleteDrafts(call.id);
        return alertFromSummary(call.id, seatId, input, now);
      });
      // Durable from here. The engine records the filing in its own transaction; were the
      // process to die in between, reopenFiledGates applies it at the next start.
      try {
        engine.summaryFiled(call.id, seatId);
      } catch (err) {
        logger.error({ err, callId: call.id }, 'summary stored but the engine could not record it');
      }
      if (alert) publish(alert);
      ok(res, summaryView(summaries.summary(call.id)!, user, now), 201);
    }),
  );

  r.put(
    '/calls/:id/summary',
    anyUser,
    json,
    route((req, res) => {
      const user = req.user!;
      const call = visibleCall(user, String(req.params.id));
      const existing = summaries.summary(call.id);
      if (!existing) throw new DomainError('NOT_FOUND', '本通电话尚未提交小结,请先提交');
      if (user.seatId !== existing.seatId) throw new DomainError('FORBIDDEN', '只有提交这份小结的坐席可以修改它');
      const now = clock.now();
      const filedDay = localDay(existing.filedAt, offset());
      if (filedDay !== localDay(now, offset())) {
        throw new DomainError('CONFLICT', `小结只能在提交当天(${filedDay})修改,如需更正请联系班长`);
      }
      const input = parseSummary(req.body, now);
      const alert = summaries.transaction(() => {
        summaries.amendSummary(call.id, existing.seatId, input, now);
        return alertFromSummary(call.id, existing.seatId, input, now);
      });
      if (alert) publish(alert);
      ok(res, summaryView(summaries.summary(call.id)!, user, now));
    }),
  );

  // ------------------------------------------------------------------ history, my calls

  r.get(
    '/calls/:id/history',
    anyUser,
    route((req, res) => {
      const user = req.user!;
      const call = visibleCall(user, String(req.params.id));
      const { limit } = parseOrThrow(HistoryQuerySchema, req.query);
      const now = clock.now();
      const earlier = summaries.earlierCalls(call.caller, call.enqueuedAt, call.id, limit);
      ok<CallerHistory>(res, { callId: call.id, entries: entries(loadAll(earlier.ids), user, now), total: earlier.total });
    }),
  );

  r.get(
    '/my/calls',
    seatUser,
    route((req, res) => {
      const user = req.user!;
      if (!user.seatId) throw new DomainError('FORBIDDEN', '当前账号没有绑定坐席');
      const q = parseOrThrow(MyCallsQuerySchema, req.query);
      const now = clock.now();
      const day = q.day ?? localDay(now, offset());
      const bounds = dayBounds(day, offset());
      if (!bounds) throw new ValidationError({ day: [`没有 ${day} 这一天`] });
      const ids = summaries.answeredBy(user.seatId, bounds.from, bounds.to);
      ok<MyCallsResponse>(res, { day, entries: entries(loadAll(ids), user, now) });
    }),
  );

  // ------------------------------------------------------------------ major-matter alerts

  r.post(
    '/calls/:id/major-report',
    anyUser,
    json,
    route((req, res) => {
      const user = req.user!;
      const call = visibleCall(user, String(req.params.id));
      const seatId = answeringUserSeat(user, call, '上报重大事项');
      const { note } = parseOrThrow(MajorReportSchema, req.body ?? {});
      const { alert, created } = summaries.raiseAlert(call.id, seatId, note, clock.now());
      publish(alert);
      ok(res, majorAlertView(alert), created ? 201 : 200);
    }),
  );

  r.get(
    '/alerts',
    staff,
    route((req, res) => {
      const q = parseOrThrow(AlertListQuerySchema, req.query);
      const openOnly = q.open === '1' || q.open === 'true';
      ok<MajorAlert[]>(res, summaries.alerts({ openOnly, limit: q.limit }).map(majorAlertView));
    }),
  );

  r.post(
    '/alerts/:id/ack',
    staff,
    route((req, res) => {
      const raw = String(req.params.id);
      const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
      const result = Number.isSafeInteger(id) ? summaries.acknowledgeAlert(id, req.user!.displayName, clock.now()) : null;
      if (!result) throw new DomainError('NOT_FOUND', `没有编号为 ${raw} 的重大事项上报`);
      if (result.changed) publish(result.alert);
      ok(res, majorAlertView(result.alert));
    }),
  );

  r.use(apiErrorHandler(logger));
  return r;
}

/**
 * A summary is committed before the engine records it (two transactions). If the process died
 * in between, the call came back without its summary-filed event and the seat could not leave
 * wrap-up; record it now for every call in progress whose summary is on file.
 */
function reopenFiledGates(deps: ConsoleRouteDeps): void {
  const inProgress = deps.engine.activeCalls().filter((c) => c.state.kind === 'talking' || c.state.kind === 'wrap-up');
  const filed = deps.summaries.summariesOf(inProgress.map((c) => c.id));
  for (const call of inProgress) {
    const s = filed.get(call.id);
    if (!s || call.events.some((e) => e.type === 'summary-filed')) continue;
    deps.engine.summaryFiled(call.id, s.seatId);
    deps.logger.info({ callId: call.id }, 'summary on file recorded by the engine after a restart');
  }
}
