import { assertNever } from '../../contract';
import { createCalls } from './calls';
import { createPhoneCore, type PhoneController, type PhoneControllerDeps } from './core';
import { createRegistration } from './registration';
import { createSeatOwnership } from './seat-ownership';
import { initialPhoneState } from './slice';
import { createTabOwnership } from './tab-ownership';
import type { PhoneUaEvent } from './types';

export type { PhoneApi, PhoneController, PhoneControllerDeps, TransferResult } from './core';
export { renewalMarginMs } from './registration';

const INPUT_KEY = 'hotline.phone.input';
const OUTPUT_KEY = 'hotline.phone.output';

/**
 * The seat's softphone, put together from its four parts: the tab that owns the seat's phone in
 * this browser (tab-ownership.ts, Web Locks), the console that holds it among the seat's computers
 * (seat-ownership.ts, the router's word), the registration of its one user agent (registration.ts)
 * and the calls (calls.ts). This file starts and stops them, routes the user agent's events, and keeps the
 * microphone and speaker choice. It writes only the store's `phone` slice; React reads that.
 */
export function createPhoneController(deps: PhoneControllerDeps): PhoneController {
  const { devices, ringer, network, storage } = deps;
  const core = createPhoneCore(deps);
  const { phone, patch } = core;
  let unsubscribers: (() => void)[] = [];

  const calls = createCalls(core);
  const registration = createRegistration(core, {
    owned: () => ownership.owned() && seat.held(),
    callUp: calls.callUp,
    dropCalls: calls.drop,
    onUaEvent,
    onNotOwner: (reason) => seat.refused(reason),
  });
  const seat = createSeatOwnership(core, {
    onGranted() {
      registration.resetFailures();
      patch({ registration: 'connecting', notice: null, error: null, elsewhere: null });
      void prepareDevices();
      registration.connect();
    },
    onLost() {
      registration.dropUa();
      registration.clearTimers();
    },
  });
  /** Whether the next claim at the router takes the phone from another computer. */
  let takeNext = false;
  /** The signed-in user whose fresh sign-in already took the phone (it takes it once). */
  let takenFor: unknown = null;
  const ownership = createTabOwnership(core, {
    onOwned() {
      const take = takeNext;
      takeNext = false;
      seat.claim(take);
    },
    onLost() {
      seat.drop();
      registration.dropUa();
      registration.clearTimers();
    },
  });

  function onUaEvent(ev: PhoneUaEvent): void {
    switch (ev.type) {
      case 'connecting':
      case 'connected':
      case 'disconnected':
      case 'registered':
      case 'unregistered':
      case 'registration-failed':
        registration.onEvent(ev);
        return;
      case 'incoming':
      case 'established':
      case 'ended':
      case 'hold':
      case 'muted':
      case 'media-error':
        calls.onEvent(ev);
        return;
      default:
        assertNever(ev, 'phone event');
    }
  }

  // ---- devices -------------------------------------------------------------------------------

  function savedChoice(key: string): string | null {
    try {
      return storage.getItem(key);
    } catch {
      return null;
    }
  }

  function saveChoice(key: string, id: string | null): void {
    try {
      if (id) storage.setItem(key, id);
      else storage.removeItem(key);
    } catch {
      // Private mode or a full quota: the choice lasts for this page only.
    }
  }

  async function refreshDevices(): Promise<void> {
    try {
      const list = await devices.list();
      if (!core.seatId) return;
      patch((s) => ({ devices: { ...s.devices, ...list } }));
    } catch {
      // enumerateDevices failing leaves the defaults, which still work.
    }
  }

  async function prepareDevices(): Promise<void> {
    const problem = await devices.prepare();
    if (!core.seatId) return;
    patch({ mediaError: problem });
    await refreshDevices();
  }

  /**
   * 强拆: the router says a supervisor ended the call (Kamailio's dialog module sent both BYEs).
   * If this phone's BYE never came (in a race Kamailio builds it with a From tag of its own, which
   * JsSIP refuses with 481), the phone still holds the call: it ends it itself.
   */
  function endForcedRelease(s: ReturnType<typeof deps.store.getState>): void {
    if (s.phone.active && s.call?.hungUpBy === 'supervisor' && s.seat?.state.kind === 'wrap-up') calls.hangup();
  }

  // ---- the controller ------------------------------------------------------------------------

  const controller: PhoneController = {
    start() {
      const user = deps.store.getState().user;
      if (!user || user.role !== 'seat' || !user.seatId) return;
      if (core.seatId === user.seatId) return;
      if (core.seatId) controller.stop();
      core.seatId = user.seatId;
      patch({
        ...initialPhoneState,
        online: network.isOnline(),
        devices: { ...initialPhoneState.devices, inputId: savedChoice(INPUT_KEY), outputId: savedChoice(OUTPUT_KEY) },
      });
      calls.checkLostCall();
      if (deps.unsupported) {
        patch({ registration: 'failed', error: deps.unsupported });
        return;
      }
      unsubscribers = [
        network.onChange(registration.onNetwork),
        devices.onChange(() => void refreshDevices()),
        deps.store.subscribe(endForcedRelease),
      ];
      // A fresh sign-in takes the seat's phone over from another computer, once; a reload (or a
      // page back from the back/forward cache) only asks.
      takeNext = deps.store.getState().freshSignIn && takenFor !== user;
      takenFor = user;
      ownership.claim('try');
    },

    stop() {
      if (!core.seatId) return;
      seat.release();
      takeNext = false;
      registration.dropUa();
      registration.clearTimers();
      calls.forgetTabCall();
      ownership.release();
      for (const u of unsubscribers) u();
      unsubscribers = [];
      core.seatId = null;
      deps.store.getState().phoneReset();
    },

    unload() {
      if (!core.seatId) return;
      const up = phone().active?.sipCallId ?? null;
      seat.release({ keepalive: true });
      controller.stop();
      if (up) calls.rememberTabCall(up);
    },

    takeOver() {
      if (!core.seatId || ownership.owned()) return;
      takeNext = true;
      ownership.claim('steal');
    },

    takeBack() {
      if (!core.seatId || seat.held()) return;
      if (ownership.owned()) seat.claim(true);
      else controller.takeOver();
    },

    ownerChanged: (owner) => seat.ownerChanged(owner),
    recheck: () => seat.recheck(),

    retryNow: registration.retryNow,

    answer: calls.answer,
    decline: calls.decline,
    hangup: calls.hangup,
    toggleMute: calls.toggleMute,
    toggleHold: calls.toggleHold,
    sendDtmf: calls.sendDtmf,
    refer: calls.refer,
    consult: calls.consult,
    hangupConsult: calls.hangupConsult,
    resumeCaller: calls.resumeCaller,
    dialOut: calls.dialOut,

    selectInput(deviceId) {
      saveChoice(INPUT_KEY, deviceId);
      patch((s) => ({ devices: { ...s.devices, inputId: deviceId } }));
      core.ua?.setInput(deviceId);
    },

    selectOutput(deviceId) {
      saveChoice(OUTPUT_KEY, deviceId);
      patch((s) => ({ devices: { ...s.devices, outputId: deviceId } }));
      core.ua?.setOutput(deviceId);
      ringer.setOutput(deviceId);
    },

    dismissNotice() {
      patch({ notice: null, lostCallId: null });
    },
  };
  return controller;
}
