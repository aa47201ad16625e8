/**
 * The softphone's ports. The controller (controller.ts) and the store see only these; JsSIP lives
 * behind `PhoneAdapter` in jssip-adapter.ts, WebAudio behind `Ringer`, navigator.mediaDevices behind
 * `MediaDevicesPort` and navigator.locks behind `LockManagerLike`, so tests drive the controller
 * with fakes and no browser.
 */

/** What one registered user agent needs: credentials from GET /api/sip/credentials. */
export interface PhoneUaConfig {
  /** sip:<seat>@<domain> */
  uri: string;
  wsUrl: string;
  /** auth_ephemeral "<unix expiry>:<seat>" */
  username: string;
  password: string;
}

export interface MediaChoice {
  /** Microphone deviceId; null = the browser's default. */
  inputId: string | null;
  /** 监听: answer receive-only, without opening a microphone (the offer's streams are sendonly). */
  listenOnly?: boolean;
}

/** How a call ended, as the adapter saw it. */
export interface CallEnd {
  /** 'local' when this phone ended it (hang-up, decline), 'remote' for the other side, 'system' for errors. */
  by: 'local' | 'remote' | 'system';
  /** JsSIP's cause ('Canceled', 'Busy', 'Rejected', 'Connection Error', ...). */
  cause: string;
  /** SIP status of a failed outgoing call, when one came back. */
  status: number | null;
  /** True when the call never got established (cancelled while ringing, refused, ...). */
  failed: boolean;
}

export type ReferOutcome = { ok: true } | { ok: false; status: number | null; cause: string };

/** Everything the user agent tells the controller. */
export type PhoneUaEvent =
  | { type: 'connecting'; attempt: number }
  | { type: 'connected' }
  | { type: 'disconnected'; error: boolean; code: number | null }
  | { type: 'registered' }
  | { type: 'unregistered' }
  | { type: 'registration-failed'; cause: string; status: number | null }
  /** An INVITE for this seat. `remoteUser` is the caller's number: never shown unmasked. */
  | { type: 'incoming'; callId: string; remoteUser: string }
  /** The call is up (ACK received or sent). */
  | { type: 'established'; callId: string }
  | { type: 'ended'; callId: string; end: CallEnd }
  | { type: 'hold'; callId: string; held: boolean }
  | { type: 'muted'; callId: string; muted: boolean }
  | { type: 'media-error'; callId: string | null; detail: string };

/** One user agent: one WebSocket, one registration, its calls keyed by SIP Call-ID. */
export interface PhoneUa {
  start(): void;
  /** Un-registers when it can, closes the WebSocket and ends every call. */
  stop(): void;
  /** New credentials for the next REGISTER (auth_ephemeral usernames change on renewal). */
  setCredentials(username: string, password: string): void;
  /** Sends a REGISTER now (renewal, or a retry after a refused one). */
  register(): void;
  isConnected(): boolean;
  answer(callId: string, media: MediaChoice): void;
  reject(callId: string, status: number, reason: string): void;
  hangup(callId: string): void;
  mute(callId: string, muted: boolean): void;
  /** Re-INVITE with a=sendonly / sendrecv. False when the call cannot re-offer right now. */
  hold(callId: string, held: boolean): boolean;
  /** RFC 2833 (RFC 4733) telephone-event, which rtpengine sees; never SIP INFO. */
  sendDtmf(callId: string, tone: string): void;
  /** REFER; `done` once, from the NOTIFY sipfrag (2xx or >= 300) or a refused REFER. */
  refer(callId: string, target: string, done: (outcome: ReferOutcome) => void): void;
  /** An outgoing call (consultation); returns its Call-ID. `headers`: extra INVITE headers ("Name: value"). */
  call(target: string, media: MediaChoice, headers?: readonly string[]): string;
  /** Plays remote audio on this speaker (setSinkId where the browser has it). */
  setOutput(deviceId: string | null): void;
  /** Moves live calls to this microphone. */
  setInput(deviceId: string | null): void;
}

export interface PhoneAdapter {
  createUa(config: PhoneUaConfig, onEvent: (event: PhoneUaEvent) => void): PhoneUa;
}

export interface AudioDevice {
  deviceId: string;
  label: string;
}

export interface DeviceList {
  inputs: AudioDevice[];
  outputs: AudioDevice[];
  /** Whether this browser can route audio to a chosen speaker (HTMLMediaElement.setSinkId). */
  canSelectOutput: boolean;
}

export interface MediaDevicesPort {
  /** Asks for microphone permission once (device labels need it). Resolves to an error sentence or null. */
  prepare(): Promise<string | null>;
  list(): Promise<DeviceList>;
  /** Subscribes to plugged/unplugged devices; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

export interface Ringer {
  start(outputId: string | null): void;
  stop(): void;
  setOutput(outputId: string | null): void;
}

/** The part of the Web Locks API the phone uses (navigator.locks). */
export interface LockManagerLike {
  request(
    name: string,
    options: { mode?: 'exclusive'; ifAvailable?: boolean; steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown>;
}

/** localStorage / sessionStorage, or a Map-backed fake. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface PhoneClock {
  /** Server time (ms): credentials' expiresAt is on the server's clock. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Browser connectivity (window 'online'/'offline'). */
export interface NetworkPort {
  isOnline(): boolean;
  onChange(listener: (online: boolean) => void): () => void;
}
