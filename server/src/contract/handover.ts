/** Hand-overs between 12348 and the 12345 government hotline, both ways (work orders and tickets). */
import { z } from 'zod';
import { line, scrubbed, text, queryTimestamp, timestamp } from './fields.js';

/**
 * How far a hand-over got. To 12345: `pending` (work order written, transfer under way),
 * `connected` (the caller reached 12345), `not-connected` (REFER refused, busy, no answer: the
 * caller stayed with the seat; the work order went anyway, marked so). From 12345: `received`
 * (ticket content on file), `callback-requested` (a ticket without a call: waits for a seat),
 * `closed` (the result went back with the disposition), `returned` (退回: not a legal matter).
 */
export const HANDOVER_STATES = ['pending', 'connected', 'not-connected', 'received', 'callback-requested', 'closed', 'returned'] as const;
export type HandoverState = (typeof HANDOVER_STATES)[number];

/** The outbox's progress for a hand-over's messages: the worst of them. */
export type HandoverDelivery = 'queued' | 'retrying' | 'accepted' | 'failed';

export const HANDOVER_STATE_LABELS: Record<HandoverState, string> = {
  pending: '转接中',
  connected: '已接通12345',
  'not-connected': '未接通',
  received: '已收到工单',
  'callback-requested': '待回电',
  closed: '已办结回复',
  returned: '已退回',
};

export const HANDOVER_DELIVERY_LABELS: Record<HandoverDelivery, string> = {
  queued: '待发送',
  retrying: '发送失败,重试中',
  accepted: '12345 已接收',
  failed: '12345 拒收',
};

export interface HandoverView {
  id: string;
  direction: 'to-12345' | 'from-12345';
  callId: string | null;
  seatId: string | null;
  ticket: string | null;
  state: HandoverState;
  /** Why (the SIP status of a failed transfer, a return reason…). */
  detail: string;
  /** To 12345 after the seat talked to a 12345 agent first (先咨询12345). */
  consulted?: boolean;
  /** To 12345: the seat booked a 12345 call-back for the caller (预约12345回电). */
  callbackRequested?: boolean;
  delivery: HandoverDelivery;
  /** Tries of the latest message, its last error, and when the next try is due. */
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A 12345 ticket's content as the seat reads it in the screen pop. */
export interface Ticket12345View {
  ticket: string;
  category: string;
  /** The 12348 specialty the category maps to (null when unmapped). */
  categoryId: string | null;
  title: string;
  content: string;
  citizenPhone: string | null;
  state: HandoverState;
  receivedAt: number;
}

/** The webhook 12345 posts (signed): a ticket transferred to 12348, or a call-back request. */
export const TicketWebhookSchema = z
  .object({
    /** Unique per delivery attempt of one event; a replayed id is refused. */
    deliveryId: z.string().min(1).max(100),
    event: z.enum(['ticket.transferred', 'ticket.callback-requested']),
    ticket: z
      .object({
        id: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'ticket.id 只能是字母、数字和连字符(最多 40 个)'),
        category: scrubbed(60).pipe(z.string().min(1)),
        title: scrubbed(200).default(''),
        content: scrubbed(4000, { multiline: true }).default(''),
        citizenPhone: z.string().max(30).nullable().default(null),
      })
      .strict(),
  })
  .strict();
export type TicketWebhook = z.output<typeof TicketWebhookSchema>;

/** GET/PUT /api/handover/category-map: 12345 category → 12348 specialty (admin). */
export const CategoryMapSchema = z
  .object({
    entries: z
      .array(z.object({ category: line('12345 类别', 60).min(1, '请填写12345类别'), categoryId: z.string().min(1) }).strict())
      .max(500),
  })
  .strict();
export type CategoryMap = z.output<typeof CategoryMapSchema>;

/** A seat asks 12345 to call the citizen back after a transfer that did not connect. */
export const HandoverCallbackSchema = z.object({ note: text('回电说明', 200).default('') }).strict();

/** Onward referrals (转介): the dispositions that send the citizen to another office. */
export const REFERRAL_KINDS = ['legal-aid', 'mediation', 'notary-forensic', 'complaint'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];
export const REFERRAL_KIND_LABELS: Record<ReferralKind, string> = {
  'legal-aid': '法律援助中心',
  mediation: '人民调解委员会',
  'notary-forensic': '公证处/司法鉴定机构',
  complaint: '司法局投诉受理',
};

/** PUT /api/referrals/offices (admin): per centre and kind, where a referral goes. */
export const ReferralOfficesSchema = z
  .object({
    offices: z
      .array(
        z
          .object({
            centreId: z.string().min(1),
            kind: z.enum(REFERRAL_KINDS),
            name: line('机构名称', 60).min(1, '请填写机构名称'),
            /** The office's HTTP endpoint (signed like the 12345 API); null: a printable form. */
            endpointUrl: z
              .url({ protocol: /^https?$/, message: '接收地址必须是 http(s) 地址' })
              .nullable()
              .default(null),
            email: z.email({ message: '邮箱格式不正确' }).nullable().default(null),
            /** Days the office has to close it (the bureau sets it for complaints). */
            dueDays: z.number().int().min(1).max(365).nullable().default(null),
          })
          .strict(),
      )
      .max(200),
  })
  .strict();
export type ReferralOffices = z.output<typeof ReferralOfficesSchema>;

/** ?from=&to= (Unix ms) of the hand-over and referral lists; the route fills in the last 24 hours. */
export const HandoverRangeQuerySchema = z.object({
  from: queryTimestamp('起始时间').optional(),
  to: queryTimestamp('结束时间').optional(),
});

/** PUT /api/referrals/:id (staff): the bureau sets the due date, or the referral is closed. */
export const ReferralUpdateSchema = z
  .object({
    dueAt: timestamp('办理期限').nullable().optional(),
    close: z.object({ outcome: text('办理结果', 200).pipe(z.string().min(1, '请填写办理结果')) }).optional(),
  })
  .strict();
export type ReferralUpdate = z.input<typeof ReferralUpdateSchema>;

export interface ReferralView {
  id: string;
  callId: string;
  seatId: string;
  centreId: string;
  kind: ReferralKind;
  kindLabel: string;
  officeName: string;
  /** `http`: sent to the office's endpoint through the outbox; `form`: printed or e-mailed. */
  channel: 'http' | 'form';
  state: 'open' | 'closed';
  outcome: string;
  dueAt: number | null;
  overdue: boolean;
  delivery: HandoverDelivery | null;
  createdAt: number;
}

/** A stuck outbox message as supervisors see it. */
export interface StuckMessageView {
  id: number;
  kind: string;
  handoverId: string | null;
  state: 'pending' | 'delivered' | 'rejected';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: number | null;
  createdAt: number;
}

/** GET /api/handovers (staff). */
export interface HandoverList {
  handovers: HandoverView[];
  stuck: StuckMessageView[];
}

/** GET /api/referrals (staff). */
export interface ReferralList {
  referrals: ReferralView[];
  overdue: ReferralView[];
}

/** GET /api/handover/report (reports): hand-overs both ways by state, and the outbox's delivery. */
export interface HandoverReport {
  from: number;
  to: number;
  to12345: { total: number; byState: Record<string, number> };
  from12345: { total: number; byState: Record<string, number> };
  messages: {
    total: number;
    delivered: number;
    pending: number;
    rejected: number;
    /** Delivered after more than one try, or still pending after a failed one. */
    retried: number;
    delayMs: { median: number | null; max: number | null };
    failuresByCause: Record<string, number>;
  };
}

/** GET /api/referrals/report (reports): referrals per office, open, closed and overdue. */
export interface ReferralReport {
  from: number;
  to: number;
  byOffice: { office: string; kind: ReferralKind; open: number; closed: number; overdue: number }[];
}
