import path from 'node:path';
import { splitHostPort } from '../config.js';
import { RecordingRepository } from '../features/recordings/recording-repository.js';
import { RecordingService } from '../features/recordings/recording-service.js';
import { RecordingStorage } from '../features/recordings/recording-storage.js';
import type { LiveQueue } from '../features/queue/queue-views.js';
import { SeatDayCounts } from '../features/queue/seat-day-counts.js';
import { dayBounds } from '../features/shared/local-day.js';
import { SupervisorService } from '../features/supervisor/supervisor-service.js';
import { ListenService } from '../features/supervisor/listen-service.js';
import { AlertMonitor } from '../features/summaries/alert-monitor.js';
import { AlertThresholdRepository } from '../features/summaries/alert-thresholds.js';
import { TransferRepository } from '../features/transfers/transfer-repository.js';
import { TransferService } from '../features/transfers/transfer-service.js';
import { createTransferView } from '../features/transfers/transfer-views.js';
import { ROOMS } from '../transport/socket-handlers.js';
import type { AppDeps } from '../app.js';
import type { AccountParts } from './accounts.js';
import type { EngineParts } from './engine.js';
import type { HandoverParts } from './handover.js';
import type { LateParts } from './late.js';
import { pushScoped } from './sockets.js';

/**
 * The calls under way: transfers (features/transfers), the supervisor's live queue, seat wall,
 * actions and 监听 (features/queue, features/supervisor), the threshold alerts, and the call
 * recordings (features/recordings) with their retention sweep.
 */
export function buildLive(
  deps: AppDeps,
  late: LateParts,
  { engine, storage, scope, record, calls, handover }: EngineParts & AccountParts & HandoverParts,
) {
  const { config, db, clock, logger } = deps;
  const trunk = splitHostPort(config.SIP_TRUNK_ADDR);
  const transferView = createTransferView({
    // The caller's side dials us again at the trunk listener (a wildcard listener: by domain).
    referHost: trunk.host === '0.0.0.0' || trunk.host === '::' ? config.SIP_DOMAIN : config.SIP_TRUNK_ADDR,
    sipDomain: config.SIP_DOMAIN,
    uri12345: config.SIP_12345_URI,
    seats: () => engine.listSeats(),
    now: () => clock.now(),
  });
  const transfers = new TransferService({
    engine,
    repo: new TransferRepository(db),
    clock,
    logger,
    gate: deps.consultGate ?? null,
    db,
    handover,
    // 咨询12345: the seat's phone calls 12345 through Kamailio's outbound route (telephony/outbound-line.ts).
    consult12345: deps.outbound
      ? { line: deps.outbound, uri: config.SIP_12345_URI, callerId: config.OUTBOUND_CALLER_ID, ringS: config.OUTBOUND_RING_S }
      : null,
    onChange: (t) => {
      late.sockets?.transferChanged(transferView(t));
      late.survey?.transferChanged(t.callId, t.state);
    },
  });
  // A call over with its transfer never reported (the console closed mid-transfer) settles it.
  engine.subscribe({ callChanged: (c) => transfers.callChanged(c) });
  transfers.resumeUnreported();

  // The supervisor's live queue and seat wall (features/queue) and actions (features/supervisor).
  const seatCounts = new SeatDayCounts(
    () => clock.now(),
    () => engine.config.utcOffsetMinutes,
  );
  const todayBounds = dayBounds(calls.today(), calls.utcOffsetMinutes);
  // Calls enqueued yesterday may have been answered or missed after midnight.
  if (todayBounds) for (const c of calls.list(todayBounds.from - 86_400_000, todayBounds.to, 100_000)) seatCounts.observe(c);
  for (const c of engine.activeCalls()) seatCounts.observe(c);
  engine.subscribe({ callChanged: (c) => seatCounts.observe(c) });
  const liveQueue: LiveQueue = {
    get config() {
      return engine.config;
    },
    listSeats: () => engine.listSeats(),
    activeCalls: () => engine.activeCalls(),
    seatDay: (id) => seatCounts.counts(id),
    liveAlerts: () => liveAlerts.list(),
  };
  const supervisor = new SupervisorService({
    engine,
    scope,
    clock,
    audit: record,
    deliver: (seatIds, message) => {
      if (seatIds.length > 0) late.sockets?.io.to(seatIds.map(ROOMS.seat)).emit('supervisor:message-posted', message);
    },
    ender: deps.callControl ?? null,
  });
  const listen = new ListenService({
    engine,
    scope,
    audit: record,
    port: deps.listen ?? null,
    notify: (userId, change) => {
      for (const socket of late.sockets?.io.sockets.sockets.values() ?? []) {
        if (socket.data.user?.id === userId) socket.emit('listen:changed', change);
      }
    },
  });
  deps.listen?.listen((leg, why) => listen.ended(leg, why));

  const liveAlerts = new AlertMonitor({
    engine,
    thresholds: new AlertThresholdRepository(db),
    unfiled: () => {
      const today = dayBounds(calls.today(), calls.utcOffsetMinutes);
      return calls.unfiled(null, 500).filter((c) => today !== null && c.enqueuedAt >= today.from);
    },
    clock,
    audit: record,
    onChange: (list) => late.sockets && pushScoped(late.sockets, list),
    storageOutage: () => storage.outage?.message ?? null,
  });
  storage.subscribe(() => liveAlerts.evaluate());
  for (const c of engine.activeCalls()) liveAlerts.observe(c);
  engine.subscribe({ callChanged: (c) => liveAlerts.observe(c) });

  // Call recordings (features/recordings): started at the answer, stored after the hang-up.
  const recordingRepo = new RecordingRepository(db);
  const recordingDir = path.resolve(config.RECORDING_DIR);
  const recordings = new RecordingService({
    repo: recordingRepo,
    calls,
    clock,
    logger: logger.child({ part: 'recordings' }),
    audit: record,
    dir: recordingDir,
    offCategories: config.RECORDING_OFF_CATEGORIES,
    media: config.RECORDING === 'on' ? (deps.recordingMedia ?? null) : null,
  });
  engine.subscribe({ callChanged: (c) => recordings.observe(c) });
  recordings.recover();
  const recordingStorage = new RecordingStorage({
    repo: recordingRepo,
    clock,
    logger: logger.child({ part: 'recordings' }),
    audit: record,
    dir: recordingDir,
    retentionDays: config.RECORDING_RETENTION_DAYS,
    alarmDays: config.RECORDING_ALARM_DAYS,
  });
  const retentionTimer = setInterval(() => recordingStorage.sweep(), 3600_000);
  retentionTimer.unref();

  return { transferView, transfers, liveQueue, supervisor, listen, liveAlerts, recordings, recordingStorage, retentionTimer };
}

export type LiveParts = ReturnType<typeof buildLive>;
