import { AuditRepository } from '../features/audit/audit-repository.js';
import { AuditService, type AuditInput } from '../features/audit/audit-service.js';
import { signInAudit } from '../features/audit/auth-audit.js';
import { currentAddress } from '../features/audit/request-context.js';
import { AccountService } from '../features/auth/accounts-service.js';
import { AuthService } from '../features/auth/auth-service.js';
import { LoginBrake } from '../features/auth/login-brake.js';
import { LoginBrakeRepository } from '../features/auth/login-brake-repository.js';
import { SessionRepository } from '../features/auth/session-repository.js';
import { listenAor, SipCredentialService } from '../features/auth/sip-credentials-service.js';
import { UserRepository } from '../features/auth/user-repository.js';
import { CallRepository } from '../features/calls/call-repository.js';
import { CallService } from '../features/calls/call-service.js';
import { referenceDataView } from '../features/routing-config/routing-config-views.js';
import { RoutingConfigService } from '../features/routing-config/routing-config-service.js';
import { SeatDayRepository } from '../features/seats/seat-day-repository.js';
import { SeatDayService } from '../features/seats/seat-day-service.js';
import { SeatService } from '../features/seats/seat-service.js';
import { PhoneOwnershipService } from '../features/seats/phone-ownership-service.js';
import { ScopeService } from '../features/users/scope-service.js';
import { UserService } from '../features/users/users-service.js';
import { wsUrlFor } from '../telephony/credentials.js';
import { ROOMS } from '../transport/socket-handlers.js';
import type { AppDeps } from '../app.js';
import type { EngineParts } from './engine.js';
import type { LateParts } from './late.js';

/**
 * Accounts and sessions (features/auth, features/users), the audit log, scope, the seat's phone
 * and SIP credentials, seats, the routing configuration, call records and the seat's day.
 */
export function buildAccounts(deps: AppDeps, late: LateParts, { engine, engineStore, seatRepo, routingRepo }: EngineParts) {
  const { config, db, clock, logger } = deps;
  const sessionMs = config.SESSION_HOURS * 3600_000;
  const userRepo = new UserRepository(db);
  // Accounts, scope and the audit log (features/users, features/audit).
  const audit = new AuditService(db, new AuditRepository(db), clock);
  const brake = new LoginBrake(db, new LoginBrakeRepository(db), clock);
  const auth = new AuthService(userRepo, new SessionRepository(db), clock, sessionMs, {
    brake,
    idleMs: config.SESSION_IDLE_MINUTES * 60_000,
    maxSessionsPerUser: config.SESSION_MAX_PER_USER,
    // A seat waiting for calls (就绪), ringing, on a call or in wrap-up is at work, never idle.
    isBusy: (user) => {
      const kind = user.seatId ? engine.listSeats().find((seat) => seat.profile.id === user.seatId)?.state.kind : undefined;
      return kind === 'ready' || kind === 'ringing' || kind === 'talking' || kind === 'wrap-up';
    },
    events: signInAudit(audit),
    onSessionsEnded: (hashes, reason, userIds) => {
      late.sockets?.endSessions(hashes);
      // A seat whose last session ended loses its phone: unregistered, its credentials refused
      // (not when a sign-in replaced it: the new session takes the phone over).
      if (reason === 'replaced') return;
      for (const id of userIds) {
        if (auth.sessionsLeft(id) !== 0) continue;
        const seatId = userRepo.byId(id)?.seatId;
        if (seatId) {
          sipCredentials.revoke(seatId);
          logger.info({ seatId, reason }, 'seat phone ended with its last session');
        }
        // A supervisor's listening phone (监听) ends the same way (nothing happens if it never had one).
        if (sipCredentials.hadListener(id)) {
          sipCredentials.revoke(listenAor(id));
          logger.info({ userId: id, reason }, 'listening phone ended with its last session');
        }
      }
    },
  });
  auth.startSweeping();
  const record = (entry: AuditInput) => void audit.record(entry);
  const accounts = new AccountService(userRepo);
  const scope = new ScopeService(accounts, (seatId) => engine.listSeats().find((s) => s.profile.id === seatId)?.profile.centreId ?? null);
  const users = new UserService({
    db,
    users: accounts,
    audit,
    clock,
    seatExists: (id) => engine.listSeats().some((s) => s.profile.id === id),
    centreExists: (id) => engine.config.centres.some((c) => c.id === id),
    locks: { unlock: (username) => brake.clearAccount(username) },
    maxPasswordAgeMs: config.PASSWORD_MAX_AGE_DAYS * 86_400_000,
    passwordAttempt: (username) => {
      const r = brake.reserve(username, currentAddress());
      return { succeeded: () => brake.succeeded(r), failed: () => brake.failed(r) };
    },
    endSessions: (id, reason) => auth.endSessionsOfUser(id, reason),
    endOtherSessions: (id, keep) => auth.endOtherSessionsOfUser(id, keep, 'password-changed'),
    onAccountChanged: (id, leftSeatId) => {
      late.sockets?.endUserSockets(id);
      if (leftSeatId) sipCredentials.revoke(leftSeatId);
    },
  });
  // One phone per seat: which console's softphone may register; changes go to the seat's consoles.
  const phones = new PhoneOwnershipService({
    clock,
    inCall: (seatId) => engine.getSeat(seatId).state.kind === 'talking',
    onChange: (owner) => late.sockets?.io.to(ROOMS.seat(owner.seatId)).emit('phone:owner-changed', owner),
  });
  const sipCredentials = new SipCredentialService(
    deps.sipSecret
      ? {
          secret: deps.sipSecret,
          domain: config.SIP_DOMAIN,
          wsUrl: wsUrlFor(config.SIP_WS_ADDR),
          credentialMs: config.SIP_CREDENTIAL_HOURS * 3600_000,
        }
      : null,
    clock,
    sessionMs,
    phones,
    deps.sipRevocation ?? null,
  );
  const seats = new SeatService(db, engine, seatRepo, record);
  const routingConfig = new RoutingConfigService(db, engine, routingRepo, clock, record, (cfg) =>
    late.sockets?.io.emit('reference:updated', referenceDataView(cfg)),
  );
  const calls = new CallService(engine, new CallRepository(db, engineStore), clock, scope);
  const seatDay = new SeatDayService(engine, calls, new SeatDayRepository(db), clock);

  return { audit, auth, record, scope, users, phones, sipCredentials, seats, routingConfig, calls, seatDay };
}

export type AccountParts = ReturnType<typeof buildAccounts>;
