import { maskNumber } from '../../contract';
import { assertNever } from '../../contract';
import type { PhoneController, PhoneCore, TransferResult } from './core';
import type { CallEnd, PhoneUaEvent } from './types';

const CALL_KEY = 'hotline.phone.call';
const DTMF = /^[0-9*#A-D]$/;
/** Taking the caller off hold when JsSIP cannot re-offer yet (another INVITE is out): how often, how long apart. */
const RESUME_TRIES = 5;
const RESUME_RETRY_MS = 500;

/** What a SIP final status says, in the seat's words (JsSIP's causes are English). */
const STATUS_WORDS: Readonly<Record<number, string>> = {
  403: '对方拒绝接入',
  404: '号码不存在',
  408: '无人接听',
  480: '暂时无法接通',
  486: '对方忙',
  487: '呼叫已取消',
  488: '媒体协商失败',
  501: '对方不支持转接',
  503: '线路暂不可用',
  600: '对方忙',
  603: '对方拒绝',
};
const CAUSE_WORDS: Readonly<Record<string, string>> = {
  Busy: '对方忙',
  Rejected: '对方拒绝',
  Unavailable: '暂时无法接通',
  'Not Found': '号码不存在',
  'No Answer': '无人接听',
  'Request Timeout': '无人接听',
  Canceled: '呼叫已取消',
  Terminated: '通话已结束',
  'Connection Error': '网络连接中断',
  'User Denied Media Access': '无法使用麦克风',
};

/** A call or REFER that failed, for the seat: the SIP status with its meaning, or the cause in zh-CN. */
export function failureDetail(status: number | null, cause: string): string {
  if (status) return `${status} ${STATUS_WORDS[status] ?? CAUSE_WORDS[cause] ?? '呼叫失败'}`;
  return CAUSE_WORDS[cause] ?? cause;
}

function endDetail(end: CallEnd): string {
  return failureDetail(end.status, end.cause);
}

export type CallEvent = Extract<PhoneUaEvent, { type: 'incoming' | 'established' | 'ended' | 'hold' | 'muted' | 'media-error' }>;

/** The call controls, as the controller hands them to the page. */
export type CallCommands = Pick<
  PhoneController,
  | 'answer'
  | 'decline'
  | 'hangup'
  | 'toggleMute'
  | 'toggleHold'
  | 'sendDtmf'
  | 'refer'
  | 'consult'
  | 'hangupConsult'
  | 'resumeCaller'
  | 'dialOut'
>;

// Members are function properties, not methods: closures implement them (no `this`), and callers
// take them off the object (`const { phone, patch } = core`, `callUp: calls.callUp`).
export interface Calls extends CallCommands {
  onEvent: (ev: CallEvent) => void;
  /** A call is ringing, up or being consulted: the user agent must not be replaced now. */
  callUp: () => boolean;
  /** The user agent is going away: ring off, settle what waits, forget every call. */
  drop: () => void;
  /** Remembers (sessionStorage) the call up in this tab, so the next load can say it was lost. */
  rememberTabCall: (callId: string) => void;
  forgetTabCall: () => void;
  /** After a reload: the call this tab had up, if any, is shown as lost. */
  checkLostCall: () => void;
}

/**
 * The calls of the running user agent: the ringing call (接听/拒接), the active one (挂断, 静音,
 * 保持, DTMF), the consultation call and the REFER of a transfer.
 */
export function createCalls(core: PhoneCore): Calls {
  const { clock, ringer, tabStorage } = core.deps;
  const referTimeoutMs = core.deps.referTimeoutMs ?? 30_000;
  const { phone, patch } = core;

  let pendingRefer: ((r: TransferResult) => void) | null = null;
  let pendingConsult: ((r: TransferResult) => void) | null = null;
  /** The caller was put on hold by consult(), so the end of the consultation resumes them. */
  let heldForConsult = false;
  /**
   * The caller is to be taken off hold while their hold re-INVITE is still on its way (a 12345
   * line answering 486 at once, or a REFER refused before the hold's answer was applied): take
   * them off hold as soon as that hold is confirmed.
   */
  let resumeOnceHeld = false;
  /** The next try of a resume JsSIP could not send yet (see resumeCaller). */
  let resumeRetry: unknown = null;
  /** A 回访 click-to-call still ringing (dialOut): it becomes the active call when answered. */
  let outgoing: { callId: string; done: (r: TransferResult) => void } | null = null;

  function callUp(): boolean {
    const p = phone();
    return p.active !== null || p.incoming !== null || p.consult !== null || outgoing !== null;
  }

  function rememberTabCall(callId: string): void {
    try {
      tabStorage.setItem(CALL_KEY, callId);
    } catch {
      /* best effort */
    }
  }

  function forgetTabCall(): void {
    try {
      tabStorage.removeItem(CALL_KEY);
    } catch {
      /* best effort */
    }
  }

  function onIncoming(callId: string, remoteUser: string): void {
    const ua = core.ua;
    if (!ua) return;
    if (callUp()) {
      ua.reject(callId, 486, 'Busy Here');
      return;
    }
    patch({ incoming: { sipCallId: callId, remote: maskNumber(remoteUser), at: clock.now(), answering: false } });
    ringer.start(phone().devices.outputId);
  }

  function onEstablished(callId: string): void {
    const p = phone();
    if (outgoing?.callId === callId) {
      const { done } = outgoing;
      outgoing = null;
      rememberTabCall(callId);
      patch({ active: { sipCallId: callId, answeredAt: clock.now(), muted: false, held: false, holdPending: false }, lostCallId: null });
      done({ ok: true });
    } else if (p.incoming?.sipCallId === callId) {
      ringer.stop();
      rememberTabCall(callId);
      patch({
        incoming: null,
        active: { sipCallId: callId, answeredAt: clock.now(), muted: false, held: false, holdPending: false },
        lostCallId: null,
      });
    } else if (p.consult?.sipCallId === callId) {
      patch({ consult: { ...p.consult, answeredAt: clock.now() } });
      const done = pendingConsult;
      pendingConsult = null;
      done?.({ ok: true });
    }
  }

  function onEnded(callId: string, end: CallEnd): void {
    const p = phone();
    if (outgoing?.callId === callId) {
      const { done } = outgoing;
      outgoing = null;
      done({ ok: false, detail: end.by === 'local' ? '已取消呼叫' : `未接通(${endDetail(end)})` });
    } else if (p.incoming?.sipCallId === callId) {
      ringer.stop();
      const failedAnswer = p.incoming.answering && end.by !== 'remote';
      patch({ incoming: null, ...(failedAnswer ? { mediaError: `接听失败:${endDetail(end)}` } : {}) });
    } else if (p.active?.sipCallId === callId) {
      forgetTabCall();
      settleRefer({ ok: false, detail: '通话已结束,转接结果未知' });
      heldForConsult = false;
      resumeOnceHeld = false;
      stopResumeRetry();
      patch({ active: null });
    } else if (p.consult?.sipCallId === callId) {
      const failedBeforeAnswer = p.consult.answeredAt === null;
      patch({ consult: null });
      settleConsult({ ok: false, detail: failedBeforeAnswer ? `咨询呼叫未接通(${endDetail(end)})` : '咨询通话已结束' });
      resumeAfterConsult();
    }
  }

  function settleRefer(r: TransferResult): void {
    const done = pendingRefer;
    pendingRefer = null;
    done?.(r);
  }

  function settleConsult(r: TransferResult): void {
    const done = pendingConsult;
    pendingConsult = null;
    done?.(r);
  }

  function stopResumeRetry(): void {
    if (resumeRetry !== null) clock.clearTimeout(resumeRetry);
    resumeRetry = null;
  }

  function resumeAfterConsult(): void {
    if (!heldForConsult) return;
    heldForConsult = false;
    resumeCaller();
  }

  /**
   * Takes the active call off hold, whatever its hold re-INVITE is doing: at once when the hold
   * is confirmed; once it is confirmed when it is still on its way; nothing when an un-hold is
   * already out. When JsSIP cannot re-offer now (another INVITE transaction in progress) it is
   * tried again a few times; after that the seat reads that 恢复通话 is up to them.
   */
  function resumeCaller(tries = 1): void {
    stopResumeRetry();
    const active = phone().active;
    const ua = core.ua;
    if (!ua || !active) return;
    if (active.holdPending) {
      if (!active.held) resumeOnceHeld = true;
      return;
    }
    if (!active.held) return;
    const callId = active.sipCallId;
    patch({ active: { ...active, holdPending: true } });
    if (ua.hold(callId, false)) return;
    patch((s) => (s.active ? { active: { ...s.active, holdPending: false } } : {}));
    if (tries < RESUME_TRIES) {
      resumeRetry = clock.setTimeout(() => {
        resumeRetry = null;
        if (phone().active?.sipCallId === callId && core.ua === ua) resumeCaller(tries + 1);
      }, RESUME_RETRY_MS);
    } else {
      patch({ mediaError: '来电人仍在保持中(通话正在协商),请点击“恢复通话”' });
    }
  }

  const calls: Calls = {
    onEvent(ev) {
      switch (ev.type) {
        case 'incoming':
          onIncoming(ev.callId, ev.remoteUser);
          return;
        case 'established':
          onEstablished(ev.callId);
          return;
        case 'ended':
          onEnded(ev.callId, ev.end);
          return;
        case 'hold':
          patch((s) => (s.active?.sipCallId === ev.callId ? { active: { ...s.active, held: ev.held, holdPending: false } } : {}));
          if (resumeOnceHeld && phone().active?.sipCallId === ev.callId) {
            resumeOnceHeld = false;
            if (ev.held) resumeCaller();
          }
          return;
        case 'muted':
          patch((s) => (s.active?.sipCallId === ev.callId ? { active: { ...s.active, muted: ev.muted } } : {}));
          return;
        case 'media-error':
          patch({ mediaError: ev.detail });
          return;
        default:
          assertNever(ev, 'call event');
      }
    },

    callUp,

    drop() {
      ringer.stop();
      settleRefer({ ok: false, detail: '电话已停止,转接未完成' });
      settleConsult({ ok: false, detail: '电话已停止,咨询未完成' });
      heldForConsult = false;
      resumeOnceHeld = false;
      stopResumeRetry();
      if (phone().active) forgetTabCall();
      patch({ incoming: null, active: null, consult: null, transferring: false });
    },

    rememberTabCall,
    forgetTabCall,

    checkLostCall() {
      let lost: string | null = null;
      try {
        lost = tabStorage.getItem(CALL_KEY);
        tabStorage.removeItem(CALL_KEY);
      } catch {
        /* best effort */
      }
      if (lost) patch({ lostCallId: lost });
    },

    answer() {
      const incoming = phone().incoming;
      const ua = core.ua;
      if (!ua || !incoming || incoming.answering) return;
      ringer.stop();
      patch({ incoming: { ...incoming, answering: true }, mediaError: null });
      ua.answer(incoming.sipCallId, { inputId: phone().devices.inputId });
    },

    decline() {
      const incoming = phone().incoming;
      const ua = core.ua;
      if (!ua || !incoming) return;
      ringer.stop();
      patch({ incoming: null });
      ua.reject(incoming.sipCallId, 486, 'Busy Here');
    },

    hangup() {
      const { active, incoming, consult } = phone();
      const ua = core.ua;
      if (!ua) return;
      if (outgoing && !active) {
        ua.hangup(outgoing.callId);
      } else if (!active && consult) {
        // The caller left during a consultation: 挂断 ends the consultation call that remains.
        calls.hangupConsult();
      } else if (active) {
        forgetTabCall();
        settleRefer({ ok: false, detail: '通话已挂断' });
        patch({ active: null });
        ua.hangup(active.sipCallId);
      } else if (incoming) {
        calls.decline();
      }
    },

    toggleMute() {
      const active = phone().active;
      const ua = core.ua;
      if (!ua || !active) return;
      ua.mute(active.sipCallId, !active.muted);
    },

    toggleHold() {
      const active = phone().active;
      const ua = core.ua;
      if (!ua || !active || active.holdPending) return;
      stopResumeRetry(); // the seat decides now
      patch({ active: { ...active, holdPending: true } });
      if (!ua.hold(active.sipCallId, !active.held)) {
        patch((s) => (s.active ? { active: { ...s.active, holdPending: false }, mediaError: '通话正在协商,暂时无法保持,请稍后再试' } : {}));
      }
    },

    sendDtmf(digit) {
      const active = phone().active;
      const ua = core.ua;
      if (!ua || !active || !DTMF.test(digit)) return;
      ua.sendDtmf(active.sipCallId, digit);
    },

    refer(uri) {
      const active = phone().active;
      const agent = core.ua;
      if (!agent || !active) return Promise.resolve({ ok: false, detail: '没有可以转接的通话' });
      if (pendingRefer || phone().transferring) return Promise.resolve({ ok: false, detail: '上一次转接还在进行' });
      const callId = active.sipCallId;
      patch({ transferring: true });
      return new Promise<TransferResult>((resolve) => {
        const timer = clock.setTimeout(() => settleRefer({ ok: false, detail: '转接超时:对方没有确认,来电方仍在通话中' }), referTimeoutMs);
        pendingRefer = (r) => {
          clock.clearTimeout(timer);
          patch({ transferring: false });
          resolve(r);
        };
        agent.refer(callId, uri, (outcome) => {
          if (!pendingRefer) return; // timed out or the call ended first
          if (!outcome.ok) {
            settleRefer({ ok: false, detail: `转接未成功(${failureDetail(outcome.status, outcome.cause)}),来电方仍在通话中` });
            return;
          }
          settleRefer({ ok: true });
          // The transfer target has the caller now: the transferor leaves (RFC 5589).
          if (phone().active?.sipCallId === callId && core.ua === agent) {
            forgetTabCall();
            patch({ active: null });
            agent.hangup(callId);
          }
        });
      });
    },

    consult(uri, headers = []) {
      const active = phone().active;
      const ua = core.ua;
      if (!ua || !active) return Promise.resolve({ ok: false, detail: '没有正在进行的通话' });
      if (phone().consult || pendingConsult) return Promise.resolve({ ok: false, detail: '已有一个咨询通话' });
      resumeOnceHeld = false;
      if (!active.held && !active.holdPending) {
        patch({ active: { ...active, holdPending: true } });
        heldForConsult = ua.hold(active.sipCallId, true);
        if (!heldForConsult) {
          patch((s) => (s.active ? { active: { ...s.active, holdPending: false } } : {}));
          return Promise.resolve({ ok: false, detail: '通话正在协商,暂时无法保持来电方,请稍后再试' });
        }
      }
      const agent = ua;
      return new Promise<TransferResult>((resolve) => {
        pendingConsult = resolve;
        try {
          const callId = agent.call(uri, { inputId: phone().devices.inputId }, headers);
          patch({ consult: { sipCallId: callId, target: uri, startedAt: clock.now(), answeredAt: null } });
        } catch (err) {
          settleConsult({ ok: false, detail: `无法发起咨询呼叫(${err instanceof Error ? err.message : String(err)})` });
          resumeAfterConsult();
        }
      });
    },

    dialOut(uri) {
      const ua = core.ua;
      if (!ua) return Promise.resolve({ ok: false, detail: '软电话未连接' });
      if (callUp()) return Promise.resolve({ ok: false, detail: '已有通话,请先结束当前通话' });
      return new Promise<TransferResult>((resolve) => {
        try {
          outgoing = { callId: ua.call(uri, { inputId: phone().devices.inputId }), done: resolve };
        } catch (err) {
          outgoing = null;
          resolve({ ok: false, detail: `无法发起呼叫(${err instanceof Error ? err.message : String(err)})` });
        }
      });
    },

    resumeCaller: () => {
      heldForConsult = false;
      resumeCaller();
    },

    hangupConsult(opts = {}) {
      const consult = phone().consult;
      const ua = core.ua;
      if (!ua || !consult) {
        if (opts.resume === false) heldForConsult = false;
        return;
      }
      patch({ consult: null });
      settleConsult({ ok: false, detail: '咨询呼叫已取消' });
      ua.hangup(consult.sipCallId);
      if (opts.resume === false) {
        heldForConsult = false;
        resumeOnceHeld = false;
      } else resumeAfterConsult();
    },
  };
  return calls;
}
