import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors.js';
import type { KamailioCommand, KamailioEvent } from './kamailio-protocol.js';
import type { Bencoded, RtpengineNg } from './rtpengine-ng.js';
import type { DialogTags } from './survey-call.js';
import { browserOffer } from './listen-sdp.js';

type ListenCommand = Extract<KamailioCommand, { cmd: 'listen-start' | 'listen-stop' }>;
export type ListenEvent = Extract<KamailioEvent, { event: `listen-${string}` }>;

/** Why a listening leg ended. */
export type ListenEndReason = 'stopped' | 'phone-hung-up' | 'phone-gone' | 'call-ended' | 'failed';

/** A listening leg as the supervisor feature sees it. */
export interface ListenLeg {
  /** The leg's SIP Call-ID (listen-<32 hex>). */
  lid: string;
  /** The call listened to. */
  callId: string;
  /** The listening phone's AOR (listen-u<user id>). */
  aor: string;
}

interface Leg extends ListenLeg {
  /** rtpengine's tag of the subscription (subscribe request's to-tag). */
  toTag: string;
  up: boolean;
  answer: { resolve: (sdp: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null;
}

/**
 * rtpengine's flags towards a browser (as the seat's leg in sip-config's SEAT_BRANCH: ICE=force
 * RTP/SAVPF rtcp-mux-offer generate-mid replace-origin replace-session-connection SDES-off), but
 * DTLS active (listen-sdp.ts says why).
 */
const WEBRTC: Record<string, Bencoded> = {
  ICE: 'force',
  DTLS: 'active', // see listen-sdp.ts
  'transport-protocol': 'UDP/TLS/RTP/SAVPF',
  'rtcp-mux': ['offer'],
  SDES: ['off'],
  replace: ['origin', 'session-connection'],
  flags: ['generate-mid'],
};

/**
 * 监听 over rtpengine and Kamailio (sip-config/kamailio-6-listen.cfg.tmpl). `start` asks rtpengine
 * for a copy of both sides of a talking call (ng `subscribe request` with the caller's and the
 * seat's tags: an offer with two sendonly audio streams, WebRTC flags), has Kamailio INVITE the
 * supervisor's registered phone with it (`listen-start`), and gives the phone's answer back to
 * rtpengine (`subscribe answer`). The subscription only receives: nothing the phone sends reaches
 * the call. `stop` ends the leg (ng `unsubscribe`, `listen-stop` to Kamailio; the page sends the
 * BYE: Kamailio cannot, see docs/telephony-notes.md); the call's end (the adapter's `callEnded`),
 * the phone's BYE and its WebSocket closing (`listen-gone`) end it too, and the listener is told.
 */
export class ListenLine {
  private sender: ((cmd: ListenCommand) => boolean) | null = null;
  private tagsOf: ((callId: string) => DialogTags | null) | null = null;
  private onEnded: ((leg: ListenLeg, why: ListenEndReason) => void) | null = null;
  private readonly legs = new Map<string, Leg>();

  constructor(
    private readonly o: {
      ng: RtpengineNg;
      logger: Logger;
      /** How long the phone may take to answer. */
      answerTimeoutMs?: number;
    },
  ) {}

  attach(send: (cmd: ListenCommand) => boolean, tagsOf: (callId: string) => DialogTags | null): void {
    this.sender = send;
    this.tagsOf = tagsOf;
  }

  listen(f: (leg: ListenLeg, why: ListenEndReason) => void): void {
    this.onEnded = f;
  }

  /** Starts listening to `callId` on the phone `aor`; resolves once media flows to it, rejects with a DomainError. */
  async start(callId: string, aor: string): Promise<ListenLeg> {
    const tags = this.tagsOf?.(callId) ?? null;
    // The tags come from `answered`, or from Kamailio's resync for a call answered before a router restart.
    if (!tags) throw new DomainError('CONFLICT', '无法监听这通电话:它已经结束,或尚未与 SIP 服务器同步', { callId });
    let offer: Record<string, unknown>;
    try {
      offer = await this.o.ng.command({ command: 'subscribe request', 'call-id': callId, 'from-tags': [tags.ftag, tags.ttag], ...WEBRTC });
    } catch (err) {
      this.o.logger.warn({ callId, err: (err as Error).message }, 'rtpengine refused the subscription');
      throw new DomainError('UNAVAILABLE', '媒体服务器未能提供这通电话的音频,无法监听', { callId });
    }
    const sdp = typeof offer.sdp === 'string' ? offer.sdp : '';
    const toTag = typeof offer['to-tag'] === 'string' ? offer['to-tag'] : '';
    if (!sdp || !toTag) throw new DomainError('UNAVAILABLE', '媒体服务器的回复不完整,无法监听', { callId });
    const lid = `listen-${randomBytes(16).toString('hex')}`;
    const leg: Leg = { lid, callId, aor, toTag, up: false, answer: null };
    this.legs.set(lid, leg);
    let answerSdp: string;
    try {
      answerSdp = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          leg.answer = null;
          this.send({ cmd: 'listen-stop', lid });
          reject(new DomainError('UNAVAILABLE', '监听电话没有接听(请确认本页面的监听电话已登记)', { callId }));
        }, this.o.answerTimeoutMs ?? 10_000);
        leg.answer = { resolve, reject, timer };
        if (!this.send({ cmd: 'listen-start', lid, aor, call: callId, sdp: Buffer.from(browserOffer(sdp)).toString('base64') })) {
          clearTimeout(timer);
          leg.answer = null;
          reject(new DomainError('UNAVAILABLE', '与 SIP 服务器的连接已断开,无法监听', { callId }));
        }
      });
    } catch (err) {
      this.drop(leg);
      throw err;
    }
    try {
      await this.o.ng.command({ command: 'subscribe answer', 'call-id': callId, 'to-tag': toTag, sdp: answerSdp, ...WEBRTC });
    } catch (err) {
      this.o.logger.warn({ callId, lid, err: (err as Error).message }, 'rtpengine refused the listening phone answer');
      this.send({ cmd: 'listen-stop', lid });
      this.drop(leg);
      throw new DomainError('UNAVAILABLE', '媒体服务器未接受监听电话的应答,无法监听', { callId });
    }
    if (!this.legs.has(lid)) throw new DomainError('CONFLICT', '监听在建立时已结束', { callId }); // the call ended meanwhile
    leg.up = true;
    this.o.logger.info({ lid, callId, aor }, 'listening leg up');
    return { lid, callId, aor };
  }

  /** 停止监听: the subscription ended (the page hangs up); false when the leg is unknown (already ended). */
  stop(lid: string): boolean {
    const leg = this.legs.get(lid);
    if (!leg) return false;
    this.send({ cmd: 'listen-stop', lid });
    this.end(leg, 'stopped');
    return true;
  }

  /** The listened call ended (BYE, 强拆, cancel): its legs end with it. */
  callEnded(callId: string): void {
    for (const leg of [...this.legs.values()]) {
      if (leg.callId !== callId) continue;
      this.send({ cmd: 'listen-stop', lid: leg.lid });
      this.end(leg, 'call-ended');
    }
  }

  /** The legs up now (for the supervisor feature: which call a phone listens to). */
  active(): ListenLeg[] {
    return [...this.legs.values()].filter((l) => l.up).map(({ lid, callId, aor }) => ({ lid, callId, aor }));
  }

  event(ev: ListenEvent): void {
    const leg = this.legs.get(ev.lid);
    if (ev.event === 'listen-answered') {
      if (!leg?.answer) {
        // Answered after the router gave up on it: end it.
        if (!leg) this.send({ cmd: 'listen-stop', lid: ev.lid });
        return;
      }
      const a = leg.answer;
      leg.answer = null;
      clearTimeout(a.timer);
      a.resolve(Buffer.from(ev.sdp, 'base64').toString());
      return;
    }
    if (!leg) return;
    if (ev.event === 'listen-failed') {
      this.o.logger.info({ lid: ev.lid, callId: leg.callId, code: ev.code }, 'listening phone did not take the leg');
      if (leg.answer) {
        const a = leg.answer;
        leg.answer = null;
        clearTimeout(a.timer);
        a.reject(
          new DomainError('UNAVAILABLE', ev.code === 480 ? '监听电话未登记:请稍候再试或刷新页面' : `监听电话未能接听(SIP ${ev.code})`, {
            callId: leg.callId,
            code: ev.code,
          }),
        );
        return;
      }
      this.end(leg, 'failed');
      return;
    }
    if (ev.event === 'listen-gone') {
      // The phone's WebSocket closed (the page reloaded or closed): no BYE will come.
      this.end(leg, 'phone-gone');
      return;
    }
    // listen-bye: the phone hung up.
    this.end(leg, 'phone-hung-up');
  }

  /** The router stops: every leg ends (BYE while the link is still up). */
  stopAll(): void {
    for (const leg of [...this.legs.values()]) this.stop(leg.lid);
  }

  private end(leg: Leg, why: ListenEndReason): void {
    const wasUp = leg.up;
    this.drop(leg);
    this.o.logger.info({ lid: leg.lid, callId: leg.callId, why }, 'listening leg ended');
    if (wasUp) this.onEnded?.({ lid: leg.lid, callId: leg.callId, aor: leg.aor }, why);
  }

  private drop(leg: Leg): void {
    if (!this.legs.delete(leg.lid)) return;
    if (leg.answer) {
      clearTimeout(leg.answer.timer);
      leg.answer.reject(new DomainError('CONFLICT', '这通电话已经结束,监听未能建立', { callId: leg.callId }));
      leg.answer = null;
    }
    void this.o.ng.command({ command: 'unsubscribe', 'call-id': leg.callId, 'to-tag': leg.toTag }).catch(() => undefined);
  }

  private send(cmd: ListenCommand): boolean {
    return this.sender?.(cmd) ?? false;
  }
}
