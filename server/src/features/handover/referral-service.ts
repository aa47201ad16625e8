import crypto from 'node:crypto';
import {
  DISPOSITION_LABELS,
  REFERRAL_KIND_LABELS,
  REFERRAL_KINDS,
  type CallSummaryInput,
  type ReferralKind,
  type ReferralOffices,
} from '../../contract/index.js';
import { CHINA_UTC_OFFSET_MIN, localDateTime } from '../../domain/calendar.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { immediateTransaction, type Db } from '../../store/db.js';
import type { OutboxRepository } from './outbox-repository.js';
import type { ReferralOffice, ReferralRecord, ReferralRepository } from './referral-repository.js';

/** Outbox streams of referral offices: `referral:<office id>`. */
export const REFERRAL_STREAM_PREFIX = 'referral:';
const DAY_MS = 24 * 3600_000;

export interface ReferralServiceOptions {
  db: Db;
  repo: ReferralRepository;
  outbox: OutboxRepository;
  clock: Clock;
  seatInfo: (seatId: string) => { name: string; staffNo: string; centreId: string; centreName: string } | null;
  knownCentre: (id: string) => boolean;
  kick: () => void;
  /** The hotline's offset from UTC (China: +480): the printed form's times are local. */
  utcOffsetMinutes?: () => number;
}

/**
 * Onward referrals (转介) use the same hand-over: a summary whose disposition sends the citizen
 * on (法律援助, 人民调解, 公证/司法鉴定, 投诉受理) creates, in the summary's commit, a referral for the
 * office its centre names for that kind. An office with an HTTP endpoint gets it through the
 * outbox (signed, idempotent, retried); one without gets a printable form. Each is tracked to
 * closure; the due date (the office's days, or the one the bureau sets) makes late ones overdue.
 */
export class ReferralService {
  constructor(private readonly o: ReferralServiceOptions) {}

  /** Inside the summary's commit. */
  summaryFiled(callId: string, seatId: string, caller: string, s: CallSummaryInput): ReferralRecord | null {
    const kind = (REFERRAL_KINDS as readonly string[]).includes(s.disposition) ? (s.disposition as ReferralKind) : null;
    if (!kind || this.o.repo.byCall(callId)) return null;
    const now = this.o.clock.now();
    const seat = this.o.seatInfo(seatId);
    const centreId = seat?.centreId ?? '';
    const office = this.o.repo.officeFor(centreId, kind);
    const r: ReferralRecord = {
      id: `rf-${crypto.randomBytes(8).toString('hex')}`,
      callId,
      seatId,
      centreId,
      kind,
      officeId: office?.id ?? null,
      officeName: office?.name ?? s.referral ?? REFERRAL_KIND_LABELS[kind],
      channel: office?.endpointUrl ? 'http' : 'form',
      state: 'open',
      outcome: '',
      dueAt: office?.dueDays ? now + office.dueDays * DAY_MS : null,
      payload: {
        kind,
        kindLabel: REFERRAL_KIND_LABELS[kind],
        disposition: DISPOSITION_LABELS[s.disposition],
        caller,
        question: s.question,
        answer: s.answer,
        referral: s.referral,
        seat: { id: seatId, name: seat?.name ?? seatId },
        centre: { id: centreId, name: seat?.centreName ?? centreId },
        callId,
        /** 保密: reading the form is audited (see referral-routes). */
        confidential: s.confidential === true,
      },
      createdAt: now,
      updatedAt: now,
    };
    this.o.repo.insert(r);
    if (office?.endpointUrl) {
      this.o.outbox.enqueue(
        {
          stream: REFERRAL_STREAM_PREFIX + office.id,
          kind: 'referral',
          path: '',
          idempotencyKey: `${r.id}:referral`,
          body: { referralId: r.id, dueAt: r.dueAt ? new Date(r.dueAt).toISOString() : null, ...r.payload },
          refId: r.id,
        },
        now,
      );
    }
    return r;
  }

  afterCommit(): void {
    this.o.kick();
  }

  /** The outbox endpoint of a referral stream (the office's URL). */
  endpointOf(stream: string): string | null {
    if (!stream.startsWith(REFERRAL_STREAM_PREFIX)) return null;
    return this.o.repo.officeById(stream.slice(REFERRAL_STREAM_PREFIX.length))?.endpointUrl ?? null;
  }

  offices(): ReferralOffice[] {
    return this.o.repo.offices();
  }

  setOffices(input: ReferralOffices): ReferralOffice[] {
    const seen = new Set<string>();
    for (const o of input.offices) {
      if (!this.o.knownCentre(o.centreId)) throw new DomainError('VALIDATION', `中心「${o.centreId}」不存在`);
      const key = `${o.centreId}:${o.kind}`;
      if (seen.has(key)) throw new DomainError('VALIDATION', `中心「${o.centreId}」的「${REFERRAL_KIND_LABELS[o.kind]}」重复`);
      seen.add(key);
    }
    immediateTransaction(this.o.db, () => this.o.repo.replaceOffices(input.offices, this.o.clock.now()));
    return this.offices();
  }

  byId(id: string): ReferralRecord {
    const r = this.o.repo.byId(id);
    if (!r) throw new DomainError('NOT_FOUND', '没有这条转介记录');
    return r;
  }

  /** The bureau sets the due date, or the office's answer closes the referral. */
  update(id: string, u: { dueAt?: number | null; close?: { outcome: string } }): ReferralRecord {
    const r = this.byId(id);
    if (r.state === 'closed') throw new DomainError('CONFLICT', '这条转介已办结');
    if (u.dueAt !== undefined) r.dueAt = u.dueAt;
    if (u.close) {
      r.state = 'closed';
      r.outcome = u.close.outcome;
    }
    r.updatedAt = this.o.clock.now();
    immediateTransaction(this.o.db, () => this.o.repo.update(r));
    return r;
  }

  between(from: number, to: number): ReferralRecord[] {
    return this.o.repo.between(from, to);
  }

  overdue(): ReferralRecord[] {
    return this.o.repo.overdue(this.o.clock.now());
  }

  isOverdue(r: ReferralRecord): boolean {
    return r.state === 'open' && r.dueAt !== null && r.dueAt < this.o.clock.now();
  }

  /** Reports: referrals by office and outcome, of those `seen` admits (a scoped user's centres). */
  report(
    from: number,
    to: number,
    seen: (r: ReferralRecord) => boolean = () => true,
  ): { byOffice: { office: string; kind: ReferralKind; open: number; closed: number; overdue: number }[] } {
    const rows = new Map<string, { office: string; kind: ReferralKind; open: number; closed: number; overdue: number }>();
    // Every referral of the period is counted (a list may stop at its newest 5000; a report may not).
    for (const r of this.o.repo.between(from, to, Number.MAX_SAFE_INTEGER).filter(seen)) {
      const key = `${r.officeName}|${r.kind}`;
      const row = rows.get(key) ?? { office: r.officeName, kind: r.kind, open: 0, closed: 0, overdue: 0 };
      row[r.state] += 1;
      if (this.isOverdue(r)) row.overdue += 1;
      rows.set(key, row);
    }
    return { byOffice: [...rows.values()] };
  }

  /** A printable form for an office without an endpoint (plain text, to print or e-mail). */
  form(id: string): string {
    const r = this.byId(id);
    const p = r.payload as {
      caller?: string;
      question?: string;
      answer?: string;
      referral?: string;
      seat?: { name: string };
      centre?: { name: string };
    };
    const line = (k: string, v: string | number | null | undefined) =>
      `${k}:${v === null || v === undefined || v === '' ? '—' : String(v)}`;
    const offset = this.o.utcOffsetMinutes?.() ?? CHINA_UTC_OFFSET_MIN;
    const local = (at: number) => localDateTime(at, offset);
    return [
      `12348 公共法律服务热线 转介单(${REFERRAL_KIND_LABELS[r.kind]})`,
      line('转介编号', r.id),
      line('接收单位', r.officeName),
      line('来电人电话', p.caller),
      line('咨询问题', p.question),
      line('律师解答', p.answer),
      line('转介说明', p.referral),
      line('受理律师', p.seat?.name),
      line('所属中心', p.centre?.name),
      line('转介时间', local(r.createdAt)),
      line('办结期限', r.dueAt ? local(r.dueAt) : null),
      '',
      '接收单位签收:__________  办理结果:__________',
    ].join('\n');
  }
}
