import express from 'express';
import {
  MyOutboundCallsQuerySchema,
  OutboundCallListQuerySchema,
  type OutboundCallListResponse,
  type OutboundCallView,
} from '../../contract/index.js';
import { DomainError } from '../../domain/errors.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { seatOfUser } from '../auth/auth-service.js';
import { parseOrThrow } from '../shared/validation.js';
import type { OutboundCallService } from './outbound-call-service.js';
import { outboundCallView } from './outbound-call-views.js';

/** Outbound call records (话单, direction outbound): staff history and detail, a seat's own day. */
export function createOutboundCallRouter(deps: { outbound: OutboundCallService; requireUser: RequireUser }): express.Router {
  const r = express.Router();
  r.get(
    '/outbound-calls',
    deps.requireUser('calls:read-all'),
    route((req, res) => {
      const q = parseOrThrow(OutboundCallListQuerySchema, req.query);
      ok<OutboundCallListResponse>(res, { ...q, records: deps.outbound.list(userOf(req), q.from, q.to, q.limit).map(outboundCallView) });
    }),
  );
  r.get(
    '/outbound-calls/:id',
    deps.requireUser('calls:read-all'),
    route((req, res) => {
      const raw = String(req.params.id);
      // Not a record number: the same 404 as an unknown one, naming what was asked (not "NaN").
      if (!/^\d{1,15}$/.test(raw)) throw new DomainError('NOT_FOUND', `没有找到编号为 ${raw.slice(0, 40)} 的外呼记录,或您无权查看`);
      ok<OutboundCallView>(res, outboundCallView(deps.outbound.get(userOf(req), Number(raw))));
    }),
  );
  r.get(
    '/my/outbound-calls',
    deps.requireUser('seat:console'),
    route((req, res) => {
      const q = parseOrThrow(MyOutboundCallsQuerySchema, req.query);
      const mine = deps.outbound.mine(seatOfUser(userOf(req)), q.day);
      ok<{ day: string; records: OutboundCallView[] }>(res, { day: mine.day, records: mine.records.map(outboundCallView) });
    }),
  );
  return r;
}
