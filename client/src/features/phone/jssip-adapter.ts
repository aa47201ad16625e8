/**
 * The one module that knows JsSIP. It turns JsSIP's UA and RTCSession objects into the small
 * PhoneUa interface (types.ts), keyed by SIP Call-ID, and owns the remote <audio> elements.
 *
 * Settings that matter with Kamailio + rtpengine (see docs/telephony-notes.md):
 * - session_timers off: the trunk side does not need them, and they add re-INVITEs.
 * - no iceServers, and each session's icecandidate `ready()` on the first candidate: rtpengine
 *   runs ICE=force with its own candidates, so host candidates are enough and gathering would
 *   otherwise wait for STUN timeouts.
 * - DTMF as RFC 2833 telephone-events (rtpengine logs them); JsSIP's default is SIP INFO.
 */
import * as JsSIP from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { IncomingRTCSessionEvent, OutgoingRTCSessionEvent } from 'jssip/lib/UA';
import { applySink } from './devices';
import type { CallEnd, MediaChoice, PhoneAdapter, PhoneUa, PhoneUaConfig, PhoneUaEvent, ReferOutcome } from './types';

const PC_CONFIG: RTCConfiguration = { iceServers: [] };

/** Microphone constraints: the chosen device when it still exists, else the default (never fail a call for it). */
export function audioConstraints(inputId: string | null): MediaTrackConstraints | true {
  if (!inputId) return { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  return { deviceId: { ideal: inputId }, echoCancellation: true, noiseSuppression: true, autoGainControl: true };
}

interface CallStats {
  callId: string;
  inboundPackets: number;
  outboundPackets: number;
  /** Local tracks the call sends (a listen-only call: 0). */
  localTracks: number;
}

/** Test hook: per-call RTP counters of every live call on this page (window.__phoneStats). */
const liveSessions = new Map<string, RTCSession>();

async function statsOf(callId: string, s: RTCSession): Promise<CallStats> {
  let inbound = 0;
  let outbound = 0;
  const pc = s.connection;
  if (pc) {
    (await pc.getStats()).forEach((r: { type: string; kind?: string; packetsReceived?: number; packetsSent?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') inbound += r.packetsReceived ?? 0;
      if (r.type === 'outbound-rtp' && r.kind === 'audio') outbound += r.packetsSent ?? 0;
    });
  }
  const localTracks = pc ? pc.getSenders().filter((x) => x.track).length : 0;
  return { callId, inboundPackets: inbound, outboundPackets: outbound, localTracks };
}

if (typeof window !== 'undefined') {
  (window as unknown as { __phoneStats?: () => Promise<CallStats[]> }).__phoneStats = () =>
    Promise.all([...liveSessions].map(([id, s]) => statsOf(id, s)));
}

class JsSipUa implements PhoneUa {
  private readonly ua: JsSIP.UA;
  private readonly sessions = new Map<string, RTCSession>();
  private readonly audio = new Map<string, HTMLAudioElement>();
  /** More remote audio tracks of one call (监听 receives the caller and the seat as two streams). */
  private readonly extraAudio = new Map<string, HTMLAudioElement[]>();
  /** Tracks this adapter put in place of JsSIP's own (microphone switches): stopped at the end. */
  private readonly ownTracks = new Map<string, MediaStreamTrack>();
  private outputId: string | null = null;
  private stopped = false;

  constructor(
    config: PhoneUaConfig,
    private readonly emit: (event: PhoneUaEvent) => void,
  ) {
    const socket = new JsSIP.WebSocketInterface(config.wsUrl);
    this.ua = new JsSIP.UA({
      sockets: [socket],
      uri: config.uri,
      authorization_user: config.username,
      password: config.password,
      register: true,
      // Kamailio's default; JsSIP refreshes at about half of it.
      register_expires: 300,
      session_timers: false,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 16,
      user_agent: `hotline-12348-console JsSIP/${JsSIP.version}`,
    });
    const ua = this.ua;
    ua.on('connecting', (e) => this.emit({ type: 'connecting', attempt: e.attempts }));
    ua.on('connected', () => this.emit({ type: 'connected' }));
    ua.on('disconnected', (e) => this.emit({ type: 'disconnected', error: e.error, code: e.code ?? null }));
    ua.on('registered', () => this.emit({ type: 'registered' }));
    ua.on('unregistered', () => {
      if (!this.stopped) this.emit({ type: 'unregistered' });
    });
    ua.on('registrationFailed', (e) =>
      this.emit({ type: 'registration-failed', cause: String(e.cause ?? 'unknown'), status: e.response?.status_code ?? null }),
    );
    ua.on('newRTCSession', (e: IncomingRTCSessionEvent | OutgoingRTCSessionEvent) => this.track(e));
  }

  private track(e: IncomingRTCSessionEvent | OutgoingRTCSessionEvent): void {
    const session = e.session;
    // IncomingRequest carries call_id too; only its typing lacks it.
    const callId = (e.request as { call_id: string }).call_id;
    this.sessions.set(callId, session);
    liveSessions.set(callId, session);
    // Ready as soon as every m= line has a candidate (one for a seat's call; a listening leg has two).
    const gathered = new Set<string | null>();
    session.on('icecandidate', (ev) => {
      gathered.add(ev.candidate.sdpMid);
      const mids = session.connection?.getTransceivers().map((t) => t.mid) ?? [];
      if (mids.every((m) => gathered.has(m))) ev.ready();
    });
    session.on('peerconnection', (ev) => this.attachAudio(callId, ev.peerconnection));
    if (session.connection) this.attachAudio(callId, session.connection);
    session.on('confirmed', () => this.emit({ type: 'established', callId }));
    session.on('muted', () => this.emit({ type: 'muted', callId, muted: true }));
    session.on('unmuted', () => this.emit({ type: 'muted', callId, muted: false }));
    session.on('getusermediafailed', (err: unknown) =>
      this.emit({
        type: 'media-error',
        callId,
        detail: `无法打开麦克风(${err instanceof Error ? err.name : String(err)}),请检查麦克风和浏览器权限`,
      }),
    );
    const finish = (failed: boolean) => (ev: { originator: string; cause: string; message?: unknown }) => {
      const status = failed ? statusOf(ev.message) : null;
      const end: CallEnd = {
        by: ev.originator === 'local' ? 'local' : ev.originator === 'remote' ? 'remote' : 'system',
        cause: ev.cause,
        status,
        failed,
      };
      this.cleanup(callId);
      this.emit({ type: 'ended', callId, end });
    };
    session.on('ended', finish(false));
    session.on('failed', finish(true));
    // JsSIP's typings declare `originator` as an enum that its JavaScript does not export (there
    // is no value to compare with), so the comparison is on the string it holds at run time.
    const originator: string = e.originator;
    if (originator === 'remote') {
      this.emit({ type: 'incoming', callId, remoteUser: session.remote_identity.uri.user ?? '' });
    }
  }

  private attachAudio(callId: string, pc: RTCPeerConnection): void {
    if (this.audio.has(callId)) return;
    const el = new Audio();
    el.autoplay = true;
    applySink(el, this.outputId);
    this.audio.set(callId, el);
    pc.addEventListener('track', (ev) => {
      if (ev.track.kind !== 'audio') return;
      let target = el;
      if (el.srcObject) {
        // A second audio stream (监听): its own element, so both sides are heard.
        target = new Audio();
        target.autoplay = true;
        applySink(target, this.outputId);
        this.extraAudio.set(callId, [...(this.extraAudio.get(callId) ?? []), target]);
      }
      target.srcObject = el.srcObject ? new MediaStream([ev.track]) : (ev.streams[0] ?? new MediaStream([ev.track]));
      void target.play().catch(() => {
        // Autoplay refused: the seat has clicked on the page before answering, so this is rare.
      });
    });
  }

  private cleanup(callId: string): void {
    this.sessions.delete(callId);
    liveSessions.delete(callId);
    const el = this.audio.get(callId);
    if (el) {
      el.srcObject = null;
      this.audio.delete(callId);
    }
    for (const x of this.extraAudio.get(callId) ?? []) x.srcObject = null;
    this.extraAudio.delete(callId);
    this.ownTracks.get(callId)?.stop();
    this.ownTracks.delete(callId);
  }

  private session(callId: string): RTCSession | null {
    const s = this.sessions.get(callId);
    return s && !s.isEnded() ? s : null;
  }

  start(): void {
    this.ua.start();
  }

  stop(): void {
    this.stopped = true;
    this.ua.stop();
    for (const id of [...this.sessions.keys()]) this.cleanup(id);
  }

  setCredentials(username: string, password: string): void {
    this.ua.set('authorization_user', username);
    this.ua.set('password', password);
  }

  register(): void {
    if (this.ua.isConnected()) this.ua.register();
  }

  isConnected(): boolean {
    return this.ua.isConnected();
  }

  answer(callId: string, media: MediaChoice): void {
    // listenOnly: no microphone is opened, so the answer to the sendonly offer is recvonly.
    const audio = media.listenOnly ? false : audioConstraints(media.inputId);
    this.session(callId)?.answer({ mediaConstraints: { audio, video: false }, pcConfig: PC_CONFIG });
  }

  reject(callId: string, status: number, reason: string): void {
    this.session(callId)?.terminate({ status_code: status, reason_phrase: reason });
  }

  hangup(callId: string): void {
    this.session(callId)?.terminate();
  }

  mute(callId: string, muted: boolean): void {
    const s = this.session(callId);
    if (!s) return;
    if (muted) s.mute({ audio: true });
    else s.unmute({ audio: true });
  }

  hold(callId: string, held: boolean): boolean {
    const s = this.session(callId);
    if (!s) return false;
    // 'hold' is reported once the re-INVITE succeeded (JsSIP ends the call if it fails).
    const done = () => this.emit({ type: 'hold', callId, held });
    return held ? s.hold({}, done) : s.unhold({}, done);
  }

  sendDtmf(callId: string, tone: string): void {
    this.session(callId)?.sendDTMF(tone, { transportType: 'RFC2833' as JsSIP.C.DTMF_TRANSPORT, duration: 160, interToneGap: 80 });
  }

  refer(callId: string, target: string, done: (outcome: ReferOutcome) => void): void {
    const s = this.session(callId);
    if (!s) {
      done({ ok: false, status: null, cause: '通话已结束' });
      return;
    }
    let settled = false;
    const once = (o: ReferOutcome) => {
      if (settled) return;
      settled = true;
      done(o);
    };
    try {
      s.refer(target, {
        eventHandlers: {
          requestFailed: (e: { response: { status_code: number } | null; cause: string }) =>
            once({ ok: false, status: e.response?.status_code ?? null, cause: e.cause }),
          accepted: () => once({ ok: true }),
          failed: (e: { status_line?: { status_code: number; reason_phrase: string } }) =>
            once({ ok: false, status: e.status_line?.status_code ?? null, cause: e.status_line?.reason_phrase ?? 'failed' }),
        },
      });
    } catch (err) {
      once({ ok: false, status: null, cause: err instanceof Error ? err.message : String(err) });
    }
  }

  call(target: string, media: MediaChoice, headers: readonly string[] = []): string {
    const session = this.ua.call(target, {
      mediaConstraints: { audio: audioConstraints(media.inputId), video: false },
      pcConfig: PC_CONFIG,
      extraHeaders: [...headers],
    });
    for (const [id, s] of this.sessions) if (s === session) return id;
    throw new Error('JsSIP did not report the outgoing session');
  }

  setOutput(deviceId: string | null): void {
    this.outputId = deviceId;
    for (const el of [...this.audio.values(), ...[...this.extraAudio.values()].flat()]) applySink(el, deviceId);
  }

  setInput(deviceId: string | null): void {
    for (const [callId, s] of this.sessions) {
      const pc = s.connection;
      const sender = pc?.getSenders().find((x) => x.track?.kind === 'audio');
      if (!sender) continue;
      void navigator.mediaDevices
        .getUserMedia({ audio: audioConstraints(deviceId), video: false })
        .then(async (stream) => {
          const track = stream.getAudioTracks()[0];
          if (!track || s.isEnded()) {
            track?.stop();
            return;
          }
          track.enabled = !s.isMuted().audio;
          const old = sender.track;
          await sender.replaceTrack(track);
          old?.stop();
          this.ownTracks.get(callId)?.stop();
          this.ownTracks.set(callId, track);
        })
        .catch((err: unknown) =>
          this.emit({ type: 'media-error', callId, detail: `无法切换到所选麦克风(${err instanceof Error ? err.name : String(err)})` }),
        );
    }
  }
}

function statusOf(message: unknown): number | null {
  if (message && typeof message === 'object' && 'status_code' in message) {
    const code = message.status_code;
    return typeof code === 'number' ? code : null;
  }
  return null;
}

export const jssipAdapter: PhoneAdapter = {
  createUa: (config, onEvent) => new JsSipUa(config, onEvent),
};
