import { HOTLINE_WIDE, type AlertThresholds, type LiveAlert, type LiveAlertKind } from '../../contract/index.js';
import type { Call } from '../../domain/call.js';
import type { Clock } from '../../domain/clock.js';
import type { RoutingConfig } from '../../domain/policy.js';
import type { Seat } from '../../domain/seat.js';
import { DomainError } from '../../domain/errors.js';
import type { AuditActor, AuditInput } from '../audit/audit-service.js';
import type { AlertThresholdRepository } from './alert-thresholds.js';

/** How often the conditions are looked at, and today's unfiled summaries read again. */
export const EVALUATE_EVERY_MS = 1_000;
const UNFILED_EVERY_MS = 15_000;
/** A caller who hangs up within this many seconds is a short abandon: not counted in the service level. */
const SHORT_ABANDON_MS = 5_000;
const KEEP_OUTCOMES_MS = 4 * 3600_000;

interface Outcome {
  centreId: string;
  at: number;
  withinTarget: boolean;
}

export interface AlertMonitorDeps {
  engine: { readonly config: RoutingConfig; listSeats(): Seat[]; activeCalls(): Call[] };
  thresholds: AlertThresholdRepository;
  /** Today's answered calls without a filed summary. */
  unfiled: () => Call[];
  clock: Clock;
  /**
   * Runs `fn` every `ms` of real time; returns its stop. Real time, not the injected clock: a test
   * that moves a virtual clock by days must not run a tick per second of it (reads evaluate first).
   */
  every?: (fn: () => void, ms: number) => () => void;
  audit: (entry: AuditInput) => void;
  /** The list changed (an alert raised, cleared or acknowledged). */
  onChange: (alerts: LiveAlert[]) => void;
  /** While the database cannot be written: the sentence of the hotline-wide alarm (store/storage-guard.ts). */
  storageOutage?: () => string | null;
}

/**
 * Threshold alerts (告警): every second the live queue, the seats and the recent outcomes are held
 * against the configured limits. An alert is raised when its condition starts to hold and leaves
 * the list when it clears; a supervisor acknowledges it (audited), which stops its sound.
 */
export class AlertMonitor {
  private readonly alerts = new Map<string, LiveAlert>();
  private readonly outcomes = new Map<string, Outcome>();
  private unfiledCache: { at: number; calls: Call[] } = { at: -Infinity, calls: [] };
  private stopTicks: (() => void) | null = null;
  private limits: AlertThresholds;

  constructor(private readonly deps: AlertMonitorDeps) {
    this.limits = deps.thresholds.get();
  }

  start(): void {
    const every =
      this.deps.every ??
      ((fn: () => void, ms: number) => {
        const t = setInterval(fn, ms);
        t.unref();
        return () => clearInterval(t);
      });
    this.stopTicks ??= every(() => this.evaluate(), EVALUATE_EVERY_MS);
  }

  stop(): void {
    this.stopTicks?.();
    this.stopTicks = null;
  }

  thresholds(): AlertThresholds {
    return this.limits;
  }

  setThresholds(actor: AuditActor, next: AlertThresholds): AlertThresholds {
    const before = this.limits;
    this.deps.thresholds.save(next, this.deps.clock.now());
    this.deps.audit({ actor, action: 'alert.thresholds', target: 'alert-thresholds', before, after: next });
    this.limits = next;
    this.evaluate();
    return next;
  }

  /** The alerts as of now (evaluated first). */
  current(): LiveAlert[] {
    this.evaluate();
    return this.list();
  }

  list(): LiveAlert[] {
    return [...this.alerts.values()].sort((a, b) => a.since - b.since || a.key.localeCompare(b.key));
  }

  acknowledge(actor: AuditActor, key: string, visible: (a: LiveAlert) => boolean): LiveAlert {
    this.evaluate();
    const alert = this.alerts.get(key);
    if (!alert || !visible(alert)) throw new DomainError('NOT_FOUND', '该告警已解除或不存在');
    if (alert.acknowledgedAt !== null) return alert;
    const acked = { ...alert, acknowledgedAt: this.deps.clock.now(), acknowledgedBy: actor.username };
    this.deps.audit({ actor, action: 'alert.threshold-acknowledge', target: `live-alert:${key}`, after: { text: alert.text } });
    this.alerts.set(key, acked);
    this.deps.onChange(this.list());
    return acked;
  }

  /** A call changed: its outcome (answered within the target, or abandoned) counts toward the service level. */
  observe(call: Call): void {
    if (this.outcomes.has(call.id)) return;
    const targetMs = this.deps.engine.config.kpi.serviceLevelThresholdS * 1000;
    const answered = call.events.find((e) => e.type === 'answered');
    const abandoned = call.events.find((e) => e.type === 'abandoned');
    if (answered)
      this.outcomes.set(call.id, { centreId: call.homeCentreId, at: answered.at, withinTarget: answered.at - call.enqueuedAt <= targetMs });
    else if (abandoned && abandoned.at - call.enqueuedAt >= SHORT_ABANDON_MS) {
      this.outcomes.set(call.id, { centreId: call.homeCentreId, at: abandoned.at, withinTarget: false });
    }
  }

  /** Raises and clears alerts against the conditions now. */
  evaluate(): void {
    const now = this.deps.clock.now();
    const found = new Map<string, { kind: LiveAlertKind; centreId: string; text: string }>();
    const add = (kind: LiveAlertKind, id: string, centreId: string, text: string) => found.set(`${kind}:${id}`, { kind, centreId, text });
    const t = this.limits;
    const cfg = this.deps.engine.config;
    const centreName = (id: string) => cfg.centres.find((c) => c.id === id)?.name ?? id;
    const seats = this.deps.engine.listSeats();
    const seatById = new Map(seats.map((s) => [s.profile.id, s]));

    const outage = this.deps.storageOutage?.();
    if (outage) add('storageFull', 'db', HOTLINE_WIDE, `${outage}:数据库无法写入,新来电转 12345,请立即清理磁盘空间`);

    const waiting = new Map<string, Call[]>();
    for (const c of this.deps.engine.activeCalls()) {
      if (c.state.kind === 'queued' || c.state.kind === 'ringing') waiting.set(c.homeCentreId, [...(waiting.get(c.homeCentreId) ?? []), c]);
      if (t.longCall.enabled && c.state.kind === 'talking' && now - c.state.since > t.longCall.limitMin * 60_000) {
        const seat = seatById.get(c.state.seatId);
        add(
          'longCall',
          c.id,
          seat?.profile.centreId ?? c.homeCentreId,
          `${seat?.profile.name ?? c.state.seatId} 通话超过 ${t.longCall.limitMin} 分钟`,
        );
      }
    }
    for (const [centre, calls] of waiting) {
      if (t.queueLength.enabled && calls.length > t.queueLength.limit) {
        add('queueLength', centre, centre, `${centreName(centre)} 排队超过 ${t.queueLength.limit} 个`);
      }
      const oldest = Math.min(...calls.map((c) => c.enqueuedAt));
      if (t.longestWait.enabled && now - oldest > t.longestWait.limitS * 1000) {
        add('longestWait', centre, centre, `${centreName(centre)} 有来电等待超过 ${t.longestWait.limitS} 秒`);
      }
    }
    if (t.serviceLevel.enabled) {
      const from = now - t.serviceLevel.windowMin * 60_000;
      const byCentre = new Map<string, { n: number; ok: number }>();
      for (const [id, o] of this.outcomes) {
        if (o.at < now - KEEP_OUTCOMES_MS) this.outcomes.delete(id);
        else if (o.at >= from) {
          const s = byCentre.get(o.centreId) ?? { n: 0, ok: 0 };
          s.n += 1;
          if (o.withinTarget) s.ok += 1;
          byCentre.set(o.centreId, s);
        }
      }
      for (const [centre, s] of byCentre) {
        const pct = Math.round((s.ok / s.n) * 100);
        if (s.n >= t.serviceLevel.minCalls && pct < t.serviceLevel.targetPct) {
          add(
            'serviceLevel',
            centre,
            centre,
            `${centreName(centre)} 近 ${t.serviceLevel.windowMin} 分钟服务水平 ${pct}%,低于 ${t.serviceLevel.targetPct}%`,
          );
        }
      }
    }
    const missWindow = cfg.missedOffer.windowS * 1000;
    for (const s of seats) {
      const p = s.profile;
      const missed = s.missedAt.filter((at) => now - at < missWindow).length;
      if (t.missedOffers.enabled && missed >= t.missedOffers.limit)
        add('missedOffers', p.id, p.centreId, `${p.name} 近期未接来电 ${missed} 次`);
      const st = s.state;
      if (t.wrapUpOverdue.enabled && st.kind === 'wrap-up' && now - st.until > t.wrapUpOverdue.limitS * 1000) {
        add('wrapUpOverdue', p.id, p.centreId, `${p.name} 话后整理已超时`);
      }
    }
    if (t.unfiledSummaries.enabled) {
      if (now - this.unfiledCache.at >= UNFILED_EVERY_MS) this.unfiledCache = { at: now, calls: this.deps.unfiled() };
      const bySeat = new Map<string, number>();
      for (const c of this.unfiledCache.calls) {
        const seatId = 'seatId' in c.state ? c.state.seatId : null;
        if (seatId) bySeat.set(seatId, (bySeat.get(seatId) ?? 0) + 1);
      }
      for (const [seatId, n] of bySeat) {
        const seat = seatById.get(seatId);
        if (seat && n >= t.unfiledSummaries.limit)
          add('unfiledSummaries', seatId, seat.profile.centreId, `${seat.profile.name} 今日有 ${n} 条小结未填`);
      }
    }

    let changed = false;
    for (const key of [...this.alerts.keys()]) {
      if (!found.has(key)) {
        this.alerts.delete(key);
        changed = true;
      }
    }
    for (const [key, f] of found) {
      const existing = this.alerts.get(key);
      if (existing) {
        if (existing.text !== f.text) this.alerts.set(key, { ...existing, text: f.text });
        continue;
      }
      this.alerts.set(key, {
        key,
        kind: f.kind,
        centreId: f.centreId,
        text: f.text,
        since: now,
        acknowledgedAt: null,
        acknowledgedBy: null,
      });
      changed = true;
    }
    if (changed) this.deps.onChange(this.list());
  }
}
