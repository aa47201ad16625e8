/**
 * The one typed contract between the routing server and the browser: REST shapes,
 * Socket.IO event maps and zod schemas for every payload. Both sides import this
 * file; it must stay free of server-only modules.
 */
import { z } from 'zod';
import type { CallStateKind, HangupSide } from '../domain/call.js';
import type { CallRecord, CallResult } from '../domain/call-record.js';
import type { SeatState } from '../domain/seat.js';
import { CALLER_FLAGS, NOT_READY_REASONS, type CallerFlag, type NotReadyReason } from '../domain/model.js';
import { SEAT_STATE_LABELS } from '../domain/seat.js';

export { CALLER_FLAGS, SEAT_STATE_LABELS };
export * from './console.js';
import type { MajorAlert, TransferReportSchema, TransferRequestSchema, TransferView } from './console.js';
export type { CallerFlag, CallResult, CallStateKind, HangupSide };

export const ROLES = ['seat', 'supervisor', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  seat: '坐席律师',
  supervisor: '班长/质检',
  manager: '值班负责人',
  admin: '系统管理员',
};

export type ErrorCode =
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'INVALID_TRANSITION'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Field path → messages, for VALIDATION. */
  fields?: Record<string, string[]>;
}
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };

// ---------- REST ----------
export const LoginRequestSchema = z.object({
  username: z.string({ error: '请输入用户名' }).trim().min(1, '请输入用户名').max(64, '用户名过长'),
  password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(256, '密码过长'),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  seatId: string | null;
}

export interface ReferenceData {
  categories: { id: string; name: string; ivrCodes: string[]; general: boolean }[];
  centres: { id: string; name: string; level: 'city' | 'county' }[];
  notReadyReasons: { id: NotReadyReasonId; label: string }[];
  /** Whether a seat must file the call's summary before it leaves wrap-up (wrapUp.requireSummary). */
  summaryRequired: boolean;
}

// ---------- live views ----------
export const NOT_READY_REASON_IDS = NOT_READY_REASONS;
export type NotReadyReasonId = NotReadyReason;

// ---------- zh-CN vocabulary, named once for both sides ----------
export const CALL_STATE_LABELS: Record<CallStateKind, string> = {
  queued: '排队中',
  ringing: '振铃',
  talking: '通话中',
  'wrap-up': '话后整理',
  ended: '已结束',
  abandoned: '放弃',
  overflowed: '溢出',
  'timed-out': '超时',
};

/** What became of a call (CallRecord.result; definitions in server/src/domain/call-record.ts). */
export const CALL_RESULT_LABELS: Record<CallResult, string> = {
  answered: '已接通',
  'abandoned-in-queue': '排队中放弃',
  'abandoned-while-ringing': '振铃中放弃',
  'overflowed-12345': '转12345',
  callback: '转预约回电',
  'timed-out': '超时',
  'in-progress': '进行中',
};

/** Who ended a call (CallRecord.hungUpBy). */
export const HUNG_UP_BY_LABELS: Record<HangupSide, string> = {
  caller: '来电人',
  seat: '坐席',
  system: '系统',
};

export const NOT_READY_REASON_LABELS: Record<NotReadyReasonId, string> = {
  meal: '用餐',
  training: '培训',
  meeting: '会议',
  rest: '小休',
  missed: '未接来电',
  consult: '咨询转接',
};

/** Caller flags the trunk passes (X-Caller-Flags); elderly and disabled take the green channel. */
export const CALLER_FLAG_LABELS: Record<CallerFlag, string> = {
  elderly: '老年人',
  disabled: '残疾人',
  minor: '未成年人',
  women: '妇女',
  'migrant-worker': '农民工',
  military: '军人军属',
  callback: '预约回电',
  'foreign-language': '外语',
};

/** A seat's live state exactly as the engine holds it (each state carries only its own fields). */
export type SeatStateView = SeatState;

export interface SeatView {
  id: string;
  name: string;
  staffNo: string;
  centreId: string;
  skills: Record<string, number>;
  languages: string[];
  registered: boolean;
  state: SeatStateView;
}

export interface CallView {
  id: string;
  /** Masked for display, e.g. 138****1234. */
  callerMasked: string;
  categoryId: string;
  homeCentreId: string;
  flags: string[];
  priority: number;
  ticket12345: string | null;
  enqueuedAt: number;
  offers: number;
  /** When a seat answered, or null. */
  answeredAt: number | null;
  /** The seat whose transfer brought this caller in (转接来电), or null. */
  transferredFrom: { callId: string; seatId: string; seatName: string } | null;
  state: { kind: CallStateKind; since: number; seatId?: string };
}

/**
 * A call record (话单) as a browser may see it: the domain's CallRecord
 * (server/src/domain/call-record.ts states every definition) with the caller masked.
 */
export interface CallRecordView extends CallRecord {
  /** Masked for display, e.g. 138****1234. */
  callerMasked: string;
}

/** GET /api/calls?from=&to=&limit=: records of the calls enqueued in [from, to), newest first. */
export const CALL_LIST_MAX_LIMIT = 1000;
/** A whole number from the query string; an empty value is `fallback` (missing when there is none). */
const queryInt = (name: string, label: string, fallback?: number) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `请提供${label} ${name}` : `${name} 必须是整数`) })
    .transform((v, ctx): number => {
      if (v.trim() === '') {
        if (fallback !== undefined) return fallback;
        ctx.addIssue({ code: 'custom', message: `请提供${label} ${name}` });
        return z.NEVER;
      }
      const n = /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n)) {
        ctx.addIssue({ code: 'custom', message: `${name} 必须是整数` });
        return z.NEVER;
      }
      return n;
    });
export const CallListQuerySchema = z
  .object({
    from: queryInt('from', '起始时间(毫秒时间戳)').pipe(z.number().min(0, 'from 不能为负数')),
    to: queryInt('to', '结束时间(毫秒时间戳)').pipe(z.number().min(0, 'to 不能为负数')),
    limit: queryInt('limit', '条数', 200)
      .default(200)
      .pipe(z.number().min(1, 'limit 至少为 1').max(CALL_LIST_MAX_LIMIT, `limit 最多为 ${CALL_LIST_MAX_LIMIT}`)),
  })
  .refine((q) => q.to > q.from, { path: ['to'], message: '结束时间 to 必须晚于起始时间 from' });
export type CallListQuery = z.infer<typeof CallListQuerySchema>;

export interface CallListResponse {
  from: number;
  to: number;
  limit: number;
  records: CallRecordView[];
}

/** The service calendar's word on now: open or not, and the seats planned for the period. */
export interface ServiceStatus {
  open: boolean;
  plannedSeats: number;
  /** Local HH:MM bounds of the current period, when open. */
  period: { from: string; to: string } | null;
  holiday: string | null;
  /** The service-level threshold T in seconds (answer target). */
  answerTargetS: number;
}

export interface QueueSnapshot {
  at: number;
  service: ServiceStatus;
  seats: SeatView[];
  calls: CallView[];
}

// ---------- Socket.IO ----------
export const SetStatusSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ready') }),
  z.object({ status: z.literal('offline') }),
  z.object({
    status: z.literal('not-ready'),
    reason: z.enum(NOT_READY_REASON_IDS).exclude(['missed', 'consult']),
  }),
]);
export type SetStatusRequest = z.infer<typeof SetStatusSchema>;

export const EmptySchema = z.object({}).strict();

export interface ClientToServerEvents {
  'seat:set-status': (payload: SetStatusRequest, ack: (res: Ack<SeatView>) => void) => void;
  'seat:extend-wrap-up': (payload: Record<string, never>, ack: (res: Ack<SeatView>) => void) => void;
  'seat:end-wrap-up': (payload: Record<string, never>, ack: (res: Ack<SeatView>) => void) => void;
  'seat:get': (payload: Record<string, never>, ack: (res: Ack<SeatView>) => void) => void;
  'queue:subscribe': (payload: Record<string, never>, ack: (res: Ack<QueueSnapshot>) => void) => void;
  /** Starts a transfer of the seat's current call; the phone then REFERs (or consults first). */
  'call:transfer': (payload: z.input<typeof TransferRequestSchema>, ack: (res: Ack<TransferView>) => void) => void;
  /** The seat's phone reports how the REFER (or the consult) ended. */
  'call:transfer-report': (payload: z.input<typeof TransferReportSchema>, ack: (res: Ack<TransferView>) => void) => void;
}

export interface ServerToClientEvents {
  'seat:status-changed': (seat: SeatView) => void;
  'call:offered': (call: CallView) => void;
  'call:updated': (call: CallView) => void;
  'queue:snapshot': (snapshot: QueueSnapshot) => void;
  /** 重大事项上报: sent to supervisors at once, and again when acknowledged. */
  'alert:major-matter': (alert: MajorAlert) => void;
  /** A transfer involving this seat changed (to the sending seat and a named target seat). */
  'transfer:updated': (transfer: TransferView) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: UserView;
}

/** 13812341234 → 138****1234; short numbers keep their last 2 digits. */
export function maskNumber(n: string): string {
  const digits = n.replace(/\s+/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 5) return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  return '*'.repeat(digits.length);
}

/** GET /api/sip/credentials: what a seat's softphone needs to register (auth_ephemeral). */
export interface SipCredentials {
  seatId: string;
  /** "<unix expiry>:<seat>" */
  username: string;
  password: string;
  /** Unix ms: renew before this. */
  expiresAt: number;
  /** sip:<seat>@<domain> */
  uri: string;
  domain: string;
  /** ws:// on loopback, wss:// otherwise. */
  wsUrl: string;
}
