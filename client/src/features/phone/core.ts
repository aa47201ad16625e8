import type { Ack, PhoneClaimResult, PhoneOwnerView, SipCredentials } from '../../contract';
import type { AppStore } from '../../app/store';
import type { PhoneState } from './slice';
import type { KeyValueStorage, LockManagerLike, MediaDevicesPort, NetworkPort, PhoneAdapter, PhoneClock, PhoneUa, Ringer } from './types';

export type TransferResult = { ok: true } | { ok: false; detail: string };

export interface PhoneApi {
  sipCredentials: (consoleId: string) => Promise<Ack<SipCredentials>>;
  claimPhone: (consoleId: string, take: boolean) => Promise<Ack<PhoneClaimResult>>;
  releasePhone: (consoleId: string, opts?: { keepalive?: boolean }) => Promise<Ack<PhoneOwnerView>>;
}

export interface PhoneControllerDeps {
  api: PhoneApi;
  /** This page's console id (random, per page load): the router gives the seat's phone to one console. */
  consoleId: string;
  store: AppStore;
  adapter: PhoneAdapter;
  clock: PhoneClock;
  /** navigator.locks; null where the browser has none (then every tab registers). */
  locks: LockManagerLike | null;
  devices: MediaDevicesPort;
  ringer: Ringer;
  network: NetworkPort;
  /** localStorage: the chosen microphone and speaker. */
  storage: KeyValueStorage;
  /** sessionStorage: this tab's call, to say honestly after a reload that it was lost. */
  tabStorage: KeyValueStorage;
  /** How long a REFER may wait for its final NOTIFY. */
  referTimeoutMs?: number;
  /** Back-off of the phone's own retries (credentials, refused REGISTERs). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Why this browser cannot be a phone (no WebRTC), in zh-CN; the phone then only says so. */
  unsupported?: string | null;
}

export interface PhoneController {
  /** Starts the phone of the signed-in seat (no-op for other roles or when already started). */
  start(): void;
  /** Un-registers, releases the tab lock and forgets everything. */
  stop(): void;
  /**
   * The page is going away (pagehide): end the calls (BYE, so the router sees who hung up rather
   * than a call gone silent), un-register, release the phone for another tab, and remember the
   * call that was up so the next load of this tab can say it ended.
   */
  unload(): void;
  /** 在此页面使用电话: take the phone over from the other tab of this seat. */
  takeOver(): void;
  /** 在此电脑使用电话: take the seat's phone back from another computer. */
  takeBack(): void;
  /** A push from the router: which console holds the seat's phone now. */
  ownerChanged(owner: PhoneOwnerView): void;
  /** The socket is back: check that this console still holds the phone (a push may have been missed). */
  recheck(): void;
  /** Try again now instead of waiting for the next automatic attempt. */
  retryNow(): void;
  answer(): void;
  /** 486 Busy Here: the router offers the call to the next seat. */
  decline(): void;
  hangup(): void;
  toggleMute(): void;
  toggleHold(): void;
  sendDtmf(digit: string): void;
  /**
   * Blind transfer (REFER) of the active call. Resolves when the NOTIFY sipfrag says 2xx (this
   * phone then leaves the call, as the transferor does), or fails on >= 300, a refused REFER or a
   * timeout; the caller stays connected when it fails.
   */
  refer(uri: string): Promise<TransferResult>;
  /**
   * Consultation: holds the caller and calls `uri`. Resolves once the consulted party answers;
   * when that call fails the caller is taken off hold again. `headers`: extra INVITE headers
   * (咨询12345: the work order id, so the 12345 agent finds the case).
   */
  consult(uri: string, headers?: readonly string[]): Promise<TransferResult>;
  /**
   * Ends the consultation call and takes the caller off hold; with `resume: false` the caller
   * stays on hold (it is about to be transferred: no re-INVITE crosses the REFER).
   */
  hangupConsult(opts?: { resume?: boolean }): void;
  /**
   * A transfer after a consultation failed (REFER refused or timed out): takes the caller off
   * hold, also when the hold re-INVITE is still on its way (then as soon as it is confirmed).
   */
  resumeCaller(): void;
  /**
   * An outgoing call with no other call up (回访 click-to-call: a one-time target from the router).
   * Resolves when it is answered (it is then the active call, hung up like any other) or fails.
   */
  dialOut(uri: string): Promise<TransferResult>;
  selectInput(deviceId: string | null): void;
  selectOutput(deviceId: string | null): void;
  dismissNotice(): void;
}

// Members are function properties, not methods: closures implement them (no `this`), and callers
// take them off the object (`const { phone, patch } = core`, `callUp: calls.callUp`).
/** What the parts of the phone (tab ownership, registration, calls) share. */
export interface PhoneCore {
  deps: PhoneControllerDeps;
  phone: () => PhoneState;
  /** The one writer of the store's `phone` slice. */
  patch: (p: Partial<PhoneState> | ((s: PhoneState) => Partial<PhoneState>)) => void;
  /** The seat whose phone this is, while started. */
  seatId: string | null;
  /** The running user agent (registration.ts replaces it), used by the calls. */
  ua: PhoneUa | null;
}

export function createPhoneCore(deps: PhoneControllerDeps): PhoneCore {
  return {
    deps,
    phone: () => deps.store.getState().phone,
    patch: (p) => deps.store.getState().phoneChanged(p),
    seatId: null,
    ua: null,
  };
}
