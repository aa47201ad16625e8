import type {
  Ack,
  HandoverList,
  HandoverReport,
  HandoverView,
  ReferralList,
  ReferralReport,
  ReferralView,
  Ticket12345View,
} from '../../contract';
import type { Api, TimeRange } from '../../shared/api';
import { formatDateTime } from '../../shared/format';

export interface HandoverDeps {
  handover: (id: string) => Promise<Ack<HandoverView>>;
  callback: (id: string, note: string) => Promise<Ack<HandoverView>>;
  ticket: (ticket: string) => Promise<Ack<Ticket12345View>>;
  handovers?: (range?: TimeRange) => Promise<Ack<HandoverList>>;
  referrals?: (range?: TimeRange) => Promise<Ack<ReferralList>>;
  /** The 转办转介 page's period figures and referral upkeep. */
  page?: Pick<Api, 'handoverReport' | 'referralReport' | 'updateReferral'>;
}

/** What the 转办转介 page shows for a period; a part the user may not read (reports) is null. */
export interface HandoverPeriod {
  handovers: HandoverList | null;
  referrals: ReferralList | null;
  handoverReport: HandoverReport | null;
  referralReport: ReferralReport | null;
  errors: string[];
}

export interface HandoverController {
  /** A hand-over's state (the work order's delivery and the transfer's outcome). */
  load(id: string): Promise<Ack<HandoverView>>;
  /** 预约12345回电 after a transfer that did not connect. */
  bookCallback(id: string): Promise<Ack<HandoverView>>;
  /** A 12345 ticket's content for the screen pop. */
  ticket(ticket: string): Promise<Ack<Ticket12345View>>;
  /** Supervisors' watch: stuck hand-overs, 12345 call-back requests, overdue referrals. */
  watch(): Promise<{ lines: MonitorLine[]; error: string | null }>;
  /** 转办转介: the period's hand-overs and referrals, with the counts when `withReports`. */
  period(range: TimeRange, withReports: boolean): Promise<HandoverPeriod>;
  /** A referral's due date (null clears it). */
  setReferralDue(id: string, dueAt: number | null): Promise<Ack<ReferralView>>;
  /** Closes a referral with the office's result. */
  closeReferral(id: string, outcome: string): Promise<Ack<ReferralView>>;
}

export interface MonitorLine {
  key: string;
  kind: 'stuck' | 'callback' | 'overdue';
  text: string;
}

/** What needs a supervisor's eye, one sentence each. */
export function monitorLines(h: HandoverList | null, r: ReferralList | null): MonitorLine[] {
  const lines: MonitorLine[] = [];
  for (const m of h?.stuck ?? []) {
    const what = m.state === 'rejected' ? '被拒收' : `已尝试 ${m.attempts} 次仍未送达`;
    lines.push({ key: `s${m.id}`, kind: 'stuck', text: `12345 消息 ${m.handoverId ?? m.id}(${m.kind})${what}:${m.lastError ?? ''}` });
  }
  for (const x of h?.handovers ?? []) {
    if (x.state === 'callback-requested')
      lines.push({ key: `c${x.id}`, kind: 'callback', text: `12345 工单 ${x.ticket ?? x.id} 请求 12348 回电` });
  }
  for (const x of r?.overdue ?? []) {
    lines.push({
      key: `o${x.id}`,
      kind: 'overdue',
      text: `转介 ${x.kindLabel} → ${x.officeName} 已逾期(期限 ${x.dueAt ? formatDateTime(x.dueAt) : '—'})`,
    });
  }
  return lines;
}

function pageApi(deps: HandoverDeps): NonNullable<HandoverDeps['page']> {
  if (!deps.page) throw new Error('the 转办转介 page API is not wired');
  return deps.page;
}

/** The only code on the page that asks the server about 12345 hand-overs. */
export function createHandoverController(deps: HandoverDeps): HandoverController {
  return {
    load: (id) => deps.handover(id),
    bookCallback: (id) => deps.callback(id, '转接未接通,请12345回电来电人'),
    ticket: (t) => deps.ticket(t),
    async watch() {
      const [h, r] = await Promise.all([deps.handovers?.(), deps.referrals?.()]);
      const error = h && !h.ok ? h.error.message : r && !r.ok ? r.error.message : null;
      return { lines: monitorLines(h?.ok ? h.data : null, r?.ok ? r.data : null), error };
    },
    async period(range, withReports) {
      const none = () => Promise.resolve(null);
      const [h, r, hr, rr] = await Promise.all([
        deps.handovers?.(range) ?? none(),
        deps.referrals?.(range) ?? none(),
        withReports && deps.page ? deps.page.handoverReport(range) : none(),
        withReports && deps.page ? deps.page.referralReport(range) : none(),
      ]);
      const data = <T>(a: Ack<T> | null): T | null => (a?.ok ? a.data : null);
      const errors = [h, r, hr, rr].flatMap((a) => (a && !a.ok ? [a.error.message] : []));
      return { handovers: data(h), referrals: data(r), handoverReport: data(hr), referralReport: data(rr), errors: [...new Set(errors)] };
    },
    setReferralDue: (id, dueAt) => pageApi(deps).updateReferral(id, { dueAt }),
    closeReferral: (id, outcome) => pageApi(deps).updateReferral(id, { close: { outcome } }),
  };
}

/** The seat's one-line reading of a hand-over. */
export function handoverSentence(h: HandoverView, labels: { state: Record<string, string>; delivery: Record<string, string> }): string {
  const state = labels.state[h.state] ?? h.state;
  const delivery = labels.delivery[h.delivery] ?? h.delivery;
  const why = h.state === 'not-connected' && h.detail ? `(${h.detail})` : '';
  const err = h.delivery === 'retrying' || h.delivery === 'failed' ? `:${h.lastError ?? ''}` : '';
  return `转接:${state}${why};工单:${delivery}${err}`;
}
