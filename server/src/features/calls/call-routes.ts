import express from 'express';
import { z } from 'zod';
import {
  CallListQuerySchema,
  MyCallsQuerySchema,
  type CallListResponse,
  type CallSummaryView,
  type CallerHistory,
  type MyCallsResponse,
} from '../../contract/index.js';
import type { Clock } from '../../domain/clock.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { seatOfUser, type SessionUser } from '../auth/auth-service.js';
import { parseOrThrow } from '../shared/validation.js';
import type { CallService } from './call-service.js';
import { callDetailView, callRecordView, historyEntries } from './call-views.js';

/** The filed summaries of some calls as `viewer` sees them (provided by the summaries feature). */
export type SummaryViewsOf = (callIds: string[], viewer: SessionUser, now: number) => Map<string, CallSummaryView>;

export interface CallRouteDeps {
  calls: CallService;
  summaryViewsOf: SummaryViewsOf;
  requireUser: RequireUser;
  clock: Clock;
}

const HISTORY_MAX = 50;
const HistoryQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'limit 必须是整数' })
    .int('limit 必须是整数')
    .min(1, 'limit 至少为 1')
    .max(HISTORY_MAX, `limit 最多为 ${HISTORY_MAX}`)
    .default(10),
});

/** Call records (staff), a caller's earlier calls, and a seat's "my calls" of a day. */
export function createCallRouter(deps: CallRouteDeps): express.Router {
  const { calls, clock, requireUser } = deps;
  const r = express.Router();

  /** Call records (话单) of the calls enqueued in [from, to), newest first, from the durable event log. */
  r.get(
    '/calls',
    requireUser('calls:read-all'),
    route((req, res) => {
      const q = parseOrThrow(CallListQuerySchema, req.query);
      const now = clock.now();
      const data: CallListResponse = { ...q, records: calls.list(q.from, q.to, q.limit).map((c) => callRecordView(c, now)) };
      ok(res, data);
    }),
  );

  r.get(
    '/calls/:id',
    requireUser('calls:read-all'),
    route((req, res) => ok(res, callDetailView(calls.get(String(req.params.id)), clock.now()))),
  );

  r.get(
    '/calls/:id/history',
    requireUser(),
    route((req, res) => {
      const user = userOf(req);
      const call = calls.visibleCall(user, String(req.params.id));
      const { limit } = parseOrThrow(HistoryQuerySchema, req.query);
      const now = clock.now();
      const earlier = calls.earlierCalls(call, limit);
      const summaries = deps.summaryViewsOf(
        earlier.calls.map((c) => c.id),
        user,
        now,
      );
      ok<CallerHistory>(res, { callId: call.id, entries: historyEntries(earlier.calls, summaries, now), total: earlier.total });
    }),
  );

  r.get(
    '/my/calls',
    requireUser('seat:console'),
    route((req, res) => {
      const user = userOf(req);
      const seatId = seatOfUser(user);
      const q = parseOrThrow(MyCallsQuerySchema, req.query);
      const now = clock.now();
      const day = q.day ?? calls.today();
      const answered = calls.answeredOn(seatId, day);
      const summaries = deps.summaryViewsOf(
        answered.map((c) => c.id),
        user,
        now,
      );
      ok<MyCallsResponse>(res, { day, entries: historyEntries(answered, summaries, now) });
    }),
  );

  return r;
}
