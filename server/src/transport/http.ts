import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import {
  CallListQuerySchema,
  LoginRequestSchema,
  NOT_READY_REASON_IDS,
  NOT_READY_REASON_LABELS,
  maskNumber,
  type Ack,
  type CallListResponse,
  type ReferenceData,
  type SipCredentials,
  type Role,
  type UserView,
} from '../contract/index.js';
import type { Clock } from '../domain/clock.js';
import type { AcdEngine } from '../domain/engine.js';
import { DomainError } from '../domain/errors.js';
import { SeatProfileSchema } from '../domain/model.js';
import { RoutingConfigSchema } from '../domain/policy.js';
import type { Db } from '../store/db.js';
import type { SqliteEngineStore } from '../store/engine-store.js';
import type { SeatRepo, SettingsRepo } from '../store/repos.js';
import { issueSipCredentials } from '../telephony/credentials.js';
import { SESSION_COOKIE, readCookie, type AuthService } from './auth.js';
import { ValidationError, parseOrThrow, toApiError } from './errors.js';
import { callRecordView, queueSnapshot, seatView } from './views.js';

export interface HttpDeps {
  db: Db;
  auth: AuthService;
  engine: AcdEngine;
  engineStore: SqliteEngineStore;
  settings: SettingsRepo;
  seats: SeatRepo;
  clock: Clock;
  logger: Logger;
  cookieSecure: boolean;
  sessionMs: number;
  isReady: () => boolean;
  /** SIP settings for seat softphones; null when no telephony is configured. */
  sip: { secret: string; domain: string; wsUrl: string; credentialMs: number } | null;
  /** Called after a logout so live sockets of that session close too. */
  onLogout?: (token: string) => void;
}

export type AuthedRequest = Request & { user?: UserView; sessionExpiresAt?: number };

export const ok = <T>(res: Response, data: T, status = 200) => res.status(status).json({ ok: true, data } satisfies Ack<T>);

/** Wraps an async handler so thrown errors reach the one error handler. */
export const route =
  (fn: (req: AuthedRequest, res: Response) => unknown) =>
  (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => fn(req as AuthedRequest, res))
      .catch(next);
  };

/** Middleware: the session's user, optionally restricted to some roles. */
export const requireUserWith =
  (auth: AuthService) =>
  (...roles: Role[]) =>
  (req: Request, _res: Response, next: NextFunction) => {
    const session = auth.sessionForToken(readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!session) return next(new DomainError('UNAUTHENTICATED', '请先登录'));
    const { user, expiresAt } = session;
    if (roles.length > 0 && !roles.includes(user.role)) return next(new DomainError('FORBIDDEN', '当前账号无权执行此操作'));
    (req as AuthedRequest).user = user;
    (req as AuthedRequest).sessionExpiresAt = expiresAt;
    next();
  };

/** The one error handler: maps any error to `{ok:false, error}` (see toApiError). */
export const apiErrorHandler =
  (logger: Logger) =>
  (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, error, unexpected } = toApiError(err);
    if (unexpected) logger.error({ err, path: req.path }, 'request failed');
    res.status(status).json({ ok: false, error } satisfies Ack<never>);
  };

export function createHttpRouter(deps: HttpDeps): express.Router {
  const r = express.Router();
  r.use(express.json({ limit: '256kb' }));

  const requireUser = requireUserWith(deps.auth);
  const staff = requireUser('supervisor', 'manager', 'admin');

  r.get('/health', (_req, res) => {
    if (!deps.isReady()) return res.status(503).json({ ok: false, error: { code: 'INTERNAL', message: 'starting' } });
    res.json({ ok: true });
  });

  r.post(
    '/auth/login',
    route(async (req, res) => {
      const body = parseOrThrow(LoginRequestSchema, req.body);
      const { token, user } = await deps.auth.login(body.username, body.password, req.ip ?? 'unknown');
      res.cookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.cookieSecure,
        path: '/',
        maxAge: deps.sessionMs,
      });
      ok(res, { user });
    }),
  );

  r.post(
    '/auth/logout',
    route((req, res) => {
      const token = readCookie(req.headers.cookie, SESSION_COOKIE);
      deps.auth.logout(token);
      if (token) deps.onLogout?.(token);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      ok(res, null);
    }),
  );

  r.get('/auth/me', requireUser(), route((req, res) => ok(res, { user: req.user! })));

  r.get(
    '/reference',
    requireUser(),
    route((_req, res) => {
      const cfg = deps.engine.config;
      const data: ReferenceData = {
        categories: cfg.categories,
        centres: cfg.centres,
        notReadyReasons: NOT_READY_REASON_IDS.map((id) => ({ id, label: NOT_READY_REASON_LABELS[id] })),
        summaryRequired: cfg.wrapUp.requireSummary,
      };
      ok(res, data);
    }),
  );

  /**
   * Time-limited SIP credentials for the seat's softphone (auth_ephemeral). Only a
   * seat user gets them, only for its own seat, and they live at most
   * SIP_CREDENTIAL_HOURS and never past the session's end: they cannot be revoked,
   * so a console whose session is over cannot keep registering.
   */
  r.get(
    '/sip/credentials',
    requireUser(),
    route((req, res) => {
      const user = req.user!;
      const seatId = user.role === 'seat' ? user.seatId : null;
      if (!seatId) throw new DomainError('FORBIDDEN', '只有绑定了坐席的坐席账号可以使用软电话');
      if (!deps.sip) throw new DomainError('UNAVAILABLE', '电话系统未接入(TELEPHONY=none),软电话暂不可用');
      const now = deps.clock.now();
      const sessionLeftMs = (req.sessionExpiresAt ?? now + deps.sessionMs) - now;
      const issued = issueSipCredentials({
        seatId,
        nowMs: now,
        lifetimeMs: Math.min(deps.sip.credentialMs, sessionLeftMs),
        secret: deps.sip.secret,
      });
      res.set('Cache-Control', 'no-store');
      const data: SipCredentials = {
        ...issued,
        seatId,
        domain: deps.sip.domain,
        uri: `sip:${seatId}@${deps.sip.domain}`,
        wsUrl: deps.sip.wsUrl,
      };
      ok(res, data);
    }),
  );

  r.get('/queue', staff, route((_req, res) => ok(res, queueSnapshot(deps.engine, deps.clock.now()))));

  /** Call records (话单) of the calls enqueued in [from, to), newest first, from the durable event log. */
  r.get(
    '/calls',
    staff,
    route((req, res) => {
      const q = parseOrThrow(CallListQuerySchema, req.query);
      const now = deps.clock.now();
      const calls = deps.engineStore.listCallsEnqueued(q.from, q.to, q.limit);
      const data: CallListResponse = { ...q, records: calls.map((c) => callRecordView(c, now)) };
      ok(res, data);
    }),
  );

  r.get(
    '/calls/:id',
    staff,
    route((req, res) => {
      const call = deps.engine.getCall(String(req.params.id)) ?? deps.engineStore.loadCall(String(req.params.id));
      if (!call) throw new DomainError('NOT_FOUND', `没有编号为 ${req.params.id} 的来电`);
      ok(res, { ...call, caller: maskNumber(call.caller), record: callRecordView(call, deps.clock.now()) });
    }),
  );

  r.get('/config/routing', staff, route((_req, res) => ok(res, deps.engine.config)));

  r.put(
    '/config/routing',
    requireUser('admin'),
    route((req, res) => {
      const cfg = parseOrThrow(RoutingConfigSchema, req.body);
      deps.db.transaction(() => {
        deps.engine.updateConfig(cfg);
        deps.settings.saveRoutingConfig(cfg, deps.clock.now());
      })();
      ok(res, deps.engine.config);
    }),
  );

  r.get('/seats', staff, route((_req, res) => ok(res, deps.engine.listSeats().map(seatView))));

  r.put(
    '/seats/:id',
    requireUser('admin'),
    route((req, res) => {
      const profile = parseOrThrow(SeatProfileSchema, { ...req.body, id: req.params.id });
      const cfg = deps.engine.config;
      const fields: Record<string, string[]> = {};
      if (!cfg.centres.some((c) => c.id === profile.centreId)) fields.centreId = [`未知的中心 ${profile.centreId}`];
      for (const cat of Object.keys(profile.skills)) {
        if (!cfg.categories.some((c) => c.id === cat)) (fields[`skills.${cat}`] ??= []).push(`未知的专业领域 ${cat}`);
      }
      if (Object.keys(fields).length) throw new ValidationError(fields);
      deps.db.transaction(() => {
        deps.seats.upsert(profile);
        deps.engine.upsertSeat(profile);
      })();
      ok(res, seatView(deps.engine.getSeat(profile.id)));
    }),
  );

  r.use((_req, _res, next) => next(new DomainError('NOT_FOUND', '接口不存在')));

  r.use(apiErrorHandler(deps.logger));
  return r;
}
