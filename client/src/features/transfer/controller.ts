import type { Ack, ApiError, TransferOutcome, TransferTarget, TransferTargets, TransferView } from '../../contract';
import type { TransferResult } from '../phone/core';
import type { AppStore } from '../../app/store';

/** The parts of the phone a transfer uses (the softphone controller; its refer() hangs up on success). */
export interface TransferPhone {
  refer(uri: string): Promise<TransferResult>;
  consult(uri: string, headers?: readonly string[]): Promise<TransferResult>;
  hangupConsult(opts?: { resume?: boolean }): void;
  /** Takes the caller off hold (also once a hold still on its way is confirmed). */
  resumeCaller(): void;
}

export interface TransferDeps {
  store: AppStore;
  phone: TransferPhone;
  /** Socket commands (the session's socket). */
  start(req: { callId: string; target: TransferTarget; mode: 'blind' | 'consult' }): Promise<Ack<TransferView>>;
  report(req: { transferId: string; outcome: TransferOutcome; detail?: string }): Promise<Ack<TransferView>>;
  targets(): Promise<Ack<TransferTargets>>;
  /** How long between tries of a report the router could not take (disconnected: e.g. restarting). */
  reportRetryMs?: number;
  /** How many tries in all before giving up (the router then settles the transfer itself). */
  reportTries?: number;
}

export interface TransferController {
  loadTargets(): Promise<void>;
  /** 直接转接: REFER the caller to the target now; on success this seat hangs up. */
  blind(callId: string, target: TransferTarget): Promise<void>;
  /** 咨询转接: hold the caller, call the target seat first (or a 12345 agent, with the work order id). */
  consult(callId: string, target: TransferTarget): Promise<void>;
  /** After the consultation: end it and transfer the caller to the consulted seat. */
  complete(): Promise<void>;
  /** Back to the caller: end the consultation, take the caller off hold. */
  cancel(): Promise<void>;
  dismiss(): void;
}

const message = (e: ApiError) => e.message;

/**
 * Drives a transfer: the router names the target and the REFER URI, the phone carries it out,
 * and the router hears how it went. A refused or failed REFER leaves the caller with the seat:
 * nothing here ever hangs up unless the transfer succeeded.
 */
export function createTransferController(deps: TransferDeps): TransferController {
  const { store, phone } = deps;
  const s = () => store.getState();
  const busy = () => s().transfer.phase === 'starting' || s().transfer.phase === 'referring';

  /**
   * Tells the router how the transfer ended. The REFER's outcome is known only here: when the
   * router cannot take it now (the connection is down, e.g. while it restarts), it is sent again
   * in the background until it is taken, so the work order's result says what really happened.
   */
  async function report(r: { transferId: string; outcome: TransferOutcome; detail?: string }): Promise<void> {
    const ack = await deps.report(r);
    if (ack.ok || ack.error.code !== 'INTERNAL') return;
    void (async () => {
      for (let tries = 1; tries < (deps.reportTries ?? 30); tries++) {
        await new Promise((resolve) => setTimeout(resolve, deps.reportRetryMs ?? 2000));
        const again = await deps.report(r);
        if (again.ok || again.error.code !== 'INTERNAL') return;
      }
    })();
  }

  async function refer(t: TransferView): Promise<void> {
    s().transferPhase('referring', { current: t });
    const result = await phone.refer(t.referTo);
    // After a consultation the caller was left on hold for the REFER: a failed one brings them back.
    // The phone decides, not the store's `held`: the hold's re-INVITE may still be on its way
    // (its answer not yet applied), and the caller must come back once it is.
    if (!result.ok) phone.resumeCaller();
    if (result.ok) {
      // The phone has already left the call (RFC 5589): the caller is on the way to the target.
      await report({ transferId: t.id, outcome: 'completed' });
      s().transferPhase('done');
      return;
    }
    await report({ transferId: t.id, outcome: 'refused', detail: result.detail });
    // The phone's sentence already says the caller is still connected.
    s().transferPhase('failed', { error: result.detail });
  }

  async function begin(callId: string, target: TransferTarget, mode: 'blind' | 'consult'): Promise<TransferView | null> {
    if (busy()) return null;
    s().transferPhase('starting', { current: null, error: null });
    const ack = await deps.start({ callId, target, mode });
    if (!ack.ok) {
      s().transferPhase('failed', { error: `${message(ack.error)}(来电人仍在与您通话)` });
      return null;
    }
    return ack.data;
  }

  return {
    async loadTargets() {
      const ack = await deps.targets();
      if (ack.ok) s().setTransferTargets(ack.data);
      else s().setTransferTargets(null, message(ack.error));
    },

    async blind(callId, target) {
      const t = await begin(callId, target, 'blind');
      if (t) await refer(t);
    },

    async consult(callId, target) {
      const t = await begin(callId, target, 'consult');
      if (!t) return;
      if (!t.consultUri) {
        s().transferPhase('failed', { error: '无法建立咨询通话(缺少咨询地址)' });
        return;
      }
      s().transferPhase('consulting', { current: t });
      // 咨询12345: the consultation call names the work order, which 12345 already has (or soon will).
      const result =
        t.target.kind === '12345' && t.handoverId
          ? await phone.consult(t.consultUri, [`X-12348-Workorder: ${t.handoverId}`])
          : await phone.consult(t.consultUri);
      if (!result.ok) {
        await report({ transferId: t.id, outcome: 'cancelled', detail: result.detail });
        s().transferPhase('failed', { error: `${result.detail}。来电人仍在线,已恢复通话。` });
      }
    },

    async complete() {
      const t = s().transfer.current;
      if (!t || s().transfer.phase !== 'consulting') return;
      phone.hangupConsult({ resume: false }); // the caller stays on hold until the REFER is answered
      await refer(t);
    },

    async cancel() {
      const t = s().transfer.current;
      if (!t || s().transfer.phase !== 'consulting') return;
      phone.hangupConsult();
      await report({ transferId: t.id, outcome: 'cancelled' });
      s().resetTransfer();
    },

    dismiss() {
      if (!busy() && s().transfer.phase !== 'consulting') s().resetTransfer();
    },
  };
}
