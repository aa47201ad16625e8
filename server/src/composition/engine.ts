import { AcdEngine, type StoredEngineState } from '../domain/engine.js';
import { DomainError } from '../domain/errors.js';
import { CallbackRepository } from '../features/callbacks/callback-repository.js';
import { CallbackService } from '../features/callbacks/callback-service.js';
import { callbackView } from '../features/callbacks/callback-views.js';
import { RoutingConfigRepository } from '../features/routing-config/routing-config-repository.js';
import { startupRoutingConfig } from '../features/routing-config/routing-config-service.js';
import { SeatRepository } from '../features/seats/seat-repository.js';
import { SqliteEngineStore } from '../store/engine-store.js';
import { StorageGuard } from '../store/storage-guard.js';
import type { AppDeps } from '../app.js';
import type { LateParts } from './late.js';

/**
 * The engine and what it stands on: the engine store, the storage guard (degraded mode on a full
 * disk), the callback requests (listening before the restore) and the restore of the calls in
 * progress.
 */
export function buildEngine(deps: AppDeps, late: LateParts) {
  const { config, db, clock, logger } = deps;
  const seatRepo = new SeatRepository(db);
  const routingRepo = new RoutingConfigRepository(db);

  const engineStore = new SqliteEngineStore(db);
  const routing = startupRoutingConfig(routingRepo, config.routingOverride, clock.now());
  // A full disk: degraded mode (refuse new work, alarm, probe until space returns), not an exit.
  const storage = new StorageGuard({
    db,
    file: config.DB_PATH,
    logger,
    probeEveryMs: config.STORAGE_PROBE_S * 1000,
    resumeFreeBytes: config.STORAGE_RESUME_FREE_MB * 1024 * 1024,
  });
  const engine = new AcdEngine({
    clock,
    store: engineStore,
    telephony: deps.telephony,
    config: routing,
    seats: seatRepo.list(),
    requireRegistration: deps.requireRegistration ?? false,
    // Kamailio's own ring timer ends a ring first; the engine's is the backstop.
    ringGraceMs: deps.requireRegistration ? 3000 : undefined,
    onStorageFailure: (err) => {
      if (!storage.report(err)) deps.onStorageFailure?.(err);
    },
  });
  // What the store holds: the engine's memory is put back to it after a failed commit.
  const storedEngineState = (): StoredEngineState => ({
    config: routingRepo.get() ?? engine.config,
    seats: seatRepo.list(),
    calls: engineStore.loadActiveCalls(),
    seatStates: engineStore.loadSeatStates(),
  });
  storage.subscribe((outage) => {
    if (outage) engine.suspend(new DomainError('STORAGE_FULL', outage.message), storedEngineState);
    else engine.resumeFromStore(storedEngineState);
  });
  // Listening before restore: a call restored past its maximum wait overflows to a callback request.
  const callbacks = new CallbackService({
    engine,
    repo: new CallbackRepository(db),
    logger,
    onChange: (r) => {
      late.sockets?.callbackChanged(callbackView(r));
      late.visits?.sync();
    },
  });
  callbacks.attach();
  engine.restore(engineStore.loadActiveCalls(), engineStore.loadSeatStates());
  const restored = engine.activeCalls().length;
  if (restored > 0) logger.info({ calls: restored }, 'restored calls in progress from the store');

  return { seatRepo, routingRepo, engineStore, storage, engine, callbacks };
}

export type EngineParts = ReturnType<typeof buildEngine>;
