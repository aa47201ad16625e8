import type { TransferTargets, TransferView } from '../../contract/index.js';
import { SEAT_STATE_LABELS, type Seat } from '../../domain/seat.js';
import type { TransferRecord } from './transfer-repository.js';
import { handoverIdOf, type TransferTargetList } from './transfer-service.js';

/** The number the caller's side dials again; the token travels as a URI header (RFC 3261 §19.1.1). */
const HOTLINE = '12348';
export const TRANSFER_HEADER = 'X-Transfer';
/** On a transfer to 12345: the work order the call belongs to (the 12345 side matches the two). */
export const HANDOVER_HEADER = 'X-12348-Workorder';
/**
 * 咨询12345: the seat's phone calls sip:c12345-<token>@domain; Kamailio swaps the one-time token
 * for the 12345 number (sip-config/kamailio-5-outbound.cfg.tmpl, as for click-to-call).
 */
export const CONSULT_12345_PREFIX = 'c12345-';

function consultUriOf(t: TransferRecord, sipDomain: string): string | null {
  if (t.mode !== 'consult') return null;
  if (t.target.kind === '12345') return `sip:${CONSULT_12345_PREFIX}${t.token}@${sipDomain}`;
  return t.targetSeatId ? `sip:${t.targetSeatId}@${sipDomain}` : null;
}

export interface TransferViewContext {
  /** host[:port] the caller's side sends the new INVITE to (Kamailio's trunk listener). */
  referHost: string;
  /** The SIP domain seats register in (consult calls go to sip:<seat>@domain). */
  sipDomain: string;
  /** Where a caller transferred to 12345 goes (the trunk dials it with the work order header). */
  uri12345: string;
  seats: () => readonly Seat[];
  now: () => number;
}

/** What both seats see of a transfer: where the phone REFERs the caller, and whom it consults. */
export type TransferViewOf = (t: TransferRecord) => TransferView;

export function createTransferView(ctx: TransferViewContext): TransferViewOf {
  const seatName = (id: string) => ctx.seats().find((s) => s.profile.id === id)?.profile.name ?? id;
  return (t) => ({
    id: t.id,
    callId: t.callId,
    fromSeatId: t.fromSeatId,
    target: t.target,
    mode: t.mode,
    referTo:
      t.target.kind === '12345'
        ? `${ctx.uri12345}?${HANDOVER_HEADER}=${handoverIdOf(t)}`
        : `sip:${HOTLINE}@${ctx.referHost}?${TRANSFER_HEADER}=${t.token}`,
    consultUri: consultUriOf(t, ctx.sipDomain),
    targetSeatId: t.targetSeatId,
    fromSeatName: seatName(t.fromSeatId),
    targetSeatName: t.targetSeatId ? seatName(t.targetSeatId) : null,
    newCallId: t.newCallId,
    handoverId: t.target.kind === '12345' ? handoverIdOf(t) : null,
    state: t.state === 'pending' && t.expiresAt < ctx.now() ? 'expired' : t.state,
    createdAt: t.createdAt,
  });
}

export function transferTargetsView(list: TransferTargetList): TransferTargets {
  return {
    categories: list.categories,
    seats: list.seats.map((s) => ({
      id: s.profile.id,
      name: s.profile.name,
      staffNo: s.profile.staffNo,
      state: SEAT_STATE_LABELS[s.state.kind],
      registered: s.registered,
      skills: Object.keys(s.profile.skills),
    })),
  };
}
