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
import { can } from '../../contract/permissions.js';
import type { Clock } from '../../domain/clock.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { seatOfUser, type SessionUser } from '../auth/auth-service.js';
import { parseOrThrow } from '../shared/validation.js';
import type { CallService } from './call-service.js';
import { answeringSeat } from './call-service.js';
import { CONFIDENTIAL_CALLER, callDetailView, callRecordView, historyEntries, redactedEntries } from './call-views.js';

/** The filed summaries of some calls as `viewer` sees them (provided by the summaries feature). */
export type SummaryViewsOf = (callIds: string[], viewer: SessionUser, now: number) => Map<string, CallSummaryView>;

export interface CallRouteDeps {
  calls: CallService;
  summaryViewsOf: SummaryViewsOf;
  requireUser: RequireUser;
  clock: Clock;
}

const HISTORY_MAX = 50;
/** How many earlier calls the history rules look through. */
const HISTORY_SCAN = 500;
const UNFILED_MAX = 500;
const HistoryQuerySchema = z.object({
  limit: z.coerce
    .number({ error: '条数必须是整数' })
    .int('条数必须是整数')
    .min(1, '条数至少为 1')
    .max(HISTORY_MAX, `条数最多为 ${HISTORY_MAX}`)
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
      const user = userOf(req);
      const listed = calls.listFor(user, q.from, q.to, q.limit);
      // 保密 callers' numbers stay out of lists and exports.
      const summaries = deps.summaryViewsOf(
        listed.map((c) => c.id),
        user,
        now,
      );
      const records = listed.map((c) => {
        const record = callRecordView(c, now);
        return summaries.get(c.id)?.confidential ? { ...record, callerMasked: CONFIDENTIAL_CALLER } : record;
      });
      const data: CallListResponse = { ...q, records };
      ok(res, data);
    }),
  );

  r.get(
    '/calls/:id',
    requireUser('calls:read-all'),
    route((req, res) => ok(res, callDetailView(calls.get(String(req.params.id), userOf(req)), clock.now()))),
  );

  r.get(
    '/calls/:id/history',
    requireUser(),
    route((req, res) => {
      const user = userOf(req);
      const call = calls.visibleCall(user, String(req.params.id));
      const { limit } = parseOrThrow(HistoryQuerySchema, req.query);
      const now = clock.now();
      const earlier = calls.earlierCalls(call, HISTORY_SCAN);
      const summaries = deps.summaryViewsOf(
        earlier.calls.map((c) => c.id),
        user,
        now,
      );
      // Staff: the calls of their centres. A seat handling the call now: the caller's earlier
      // calls (only its own when the caller asked another seat for confidentiality); after the
      // call, only its own calls.
      let shown = earlier.calls;
      if (can(user.role, 'calls:read-all')) shown = shown.filter(calls.scopeFilter(user));
      else {
        const mine = (c: (typeof shown)[number]) => answeringSeat(c) === user.seatId;
        const confidentialElsewhere = shown.some((c) => !mine(c) && summaries.get(c.id)?.confidential);
        if (!calls.handlingNow(user, call) || confidentialElsewhere) shown = shown.filter(mine);
      }
      const total = shown.length === earlier.calls.length ? earlier.total : shown.length;
      const entries = redactedEntries(historyEntries(shown.slice(0, limit), summaries, now), user.seatId);
      ok<CallerHistory>(res, { callId: call.id, entries, total });
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

  /** 小结未填 (staff, their centres): answered calls that ended without a summary. */
  r.get(
    '/summaries/unfiled',
    requireUser('calls:read-all'),
    route((req, res) => {
      const user = userOf(req);
      const now = clock.now();
      const unfiled = calls.unfiled(null, UNFILED_MAX).filter(calls.scopeFilter(user));
      ok<MyCallsResponse['entries']>(res, historyEntries(unfiled, new Map(), now));
    }),
  );

  /** The seat's own 小结未填: its to-do in 我的来电 at the next sign-in. */
  r.get(
    '/my/unfiled',
    requireUser('seat:console'),
    route((req, res) => {
      const now = clock.now();
      ok<MyCallsResponse['entries']>(res, historyEntries(calls.unfiled(seatOfUser(userOf(req)), UNFILED_MAX), new Map(), now));
    }),
  );

  return r;
}
