import type { Ack, HandoverView, Ticket12345View } from '../../contract';

export interface HandoverDeps {
  handover: (id: string) => Promise<Ack<HandoverView>>;
  callback: (id: string, note: string) => Promise<Ack<HandoverView>>;
  ticket: (ticket: string) => Promise<Ack<Ticket12345View>>;
}

export interface HandoverController {
  /** A hand-over's state (the work order's delivery and the transfer's outcome). */
  load(id: string): Promise<Ack<HandoverView>>;
  /** 预约12345回电 after a transfer that did not connect. */
  bookCallback(id: string): Promise<Ack<HandoverView>>;
  /** A 12345 ticket's content for the screen pop. */
  ticket(ticket: string): Promise<Ack<Ticket12345View>>;
}

/** The only code on the page that asks the server about 12345 hand-overs. */
export function createHandoverController(deps: HandoverDeps): HandoverController {
  return {
    load: (id) => deps.handover(id),
    bookCallback: (id) => deps.callback(id, '转接未接通,请12345回电来电人'),
    ticket: (t) => deps.ticket(t),
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
