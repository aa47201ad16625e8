import type { AudioDevice } from './types';
import type { SliceCreator } from '../../app/store-types';

/**
 * The softphone's registration, from nothing to a binding at Kamailio:
 *
 *   off ──start──► connecting ──ws up──► registering ──200──► registered
 *                      ▲  │                   │                  │
 *                      │  └────── failed ◄────┘ (refused)        │ ws lost
 *                      └─────────────────────────────────────────┘
 *   other-tab: another tab of this seat holds the phone (Web Locks); nothing is registered here.
 *   elsewhere: the router says another computer holds the seat's phone; nothing is registered here.
 */
export type PhoneRegistration = 'off' | 'connecting' | 'registering' | 'registered' | 'failed' | 'other-tab' | 'elsewhere';

/** The SIP WebSocket to Kamailio. */
export type PhoneConnection = 'idle' | 'connecting' | 'connected' | 'disconnected';

/** A call ringing at this phone. Its SIP Call-ID is the router's call id. */
export interface IncomingCall {
  sipCallId: string;
  /** The caller's number, masked (138****5678). */
  remote: string;
  at: number;
  /** 接听 was pressed; waiting for the media to come up. */
  answering: boolean;
}

export interface ActiveCall {
  sipCallId: string;
  answeredAt: number;
  muted: boolean;
  held: boolean;
  /** A hold/resume re-INVITE is on its way. */
  holdPending: boolean;
}

/** The second, outgoing call of a consultation (咨询). */
export interface ConsultCall {
  sipCallId: string;
  target: string;
  startedAt: number;
  /** Null while it rings. */
  answeredAt: number | null;
}

export interface PhoneDevices {
  inputs: AudioDevice[];
  outputs: AudioDevice[];
  /** Null = the browser's default device. */
  inputId: string | null;
  outputId: string | null;
  canSelectOutput: boolean;
}

export interface PhoneState {
  registration: PhoneRegistration;
  connection: PhoneConnection;
  /** What went wrong, in zh-CN, while it is wrong. */
  error: string | null;
  /** A fact worth telling once (taken over by another tab), zh-CN. */
  notice: string | null;
  /** While 'elsewhere': where the phone is and what to do, zh-CN. */
  elsewhere: string | null;
  /** The microphone cannot be used (permission refused, no device), zh-CN. */
  mediaError: string | null;
  /**
   * The call this tab had up when the page was reloaded: a WebRTC session does not survive a
   * reload, so its audio is gone while the server may still show the seat talking.
   */
  lostCallId: string | null;
  /** When the phone tries again by itself (server clock), while it waits to. */
  retryAt: number | null;
  /** Reconnect attempts since the connection was last up. */
  attempt: number;
  /** The browser's own network state (navigator.onLine). */
  online: boolean;
  /** When the current SIP credentials expire (server clock). */
  credentialsExpireAt: number | null;
  incoming: IncomingCall | null;
  active: ActiveCall | null;
  consult: ConsultCall | null;
  /** A REFER is waiting for its NOTIFY. */
  transferring: boolean;
  devices: PhoneDevices;
}

export interface PhoneSlice {
  phone: PhoneState;
  /** The phone controller is the one writer of this slice. */
  phoneChanged: (patch: Partial<PhoneState> | ((phone: PhoneState) => Partial<PhoneState>)) => void;
  phoneReset: () => void;
}

export const initialPhoneState: PhoneState = {
  registration: 'off',
  connection: 'idle',
  error: null,
  notice: null,
  elsewhere: null,
  mediaError: null,
  lostCallId: null,
  retryAt: null,
  attempt: 0,
  online: true,
  credentialsExpireAt: null,
  incoming: null,
  active: null,
  consult: null,
  transferring: false,
  devices: { inputs: [], outputs: [], inputId: null, outputId: null, canSelectOutput: false },
};

export const createPhoneSlice: SliceCreator<PhoneSlice> = (set) => ({
  phone: initialPhoneState,
  phoneChanged: (patch) => set((s) => ({ phone: { ...s.phone, ...(typeof patch === 'function' ? patch(s.phone) : patch) } })),
  phoneReset: () => set((s) => ({ phone: { ...initialPhoneState, devices: s.phone.devices } })),
});
