import express from 'express';
import type { SeatTodayView } from '../../contract/index.js';
import { ok, route, userOf, type RequireUser } from '../../transport/http.js';
import { seatOfUser } from '../auth/auth-service.js';
import type { SeatDayService } from './seat-day-service.js';

/** GET /api/seats/me/today: the signed-in seat's queue and its own day. */
export function createSeatDayRouter(deps: { seatDay: SeatDayService; requireUser: RequireUser }): express.Router {
  const r = express.Router();
  r.get(
    '/seats/me/today',
    deps.requireUser('seat:console'),
    route((req, res) => ok<SeatTodayView>(res, deps.seatDay.today(seatOfUser(userOf(req))))),
  );
  return r;
}
