import type { PhoneOwnerView } from '../../contract';
import { errorMessage } from '../../shared/errors';
import type { PhoneCore } from './core';
import { initialPhoneState } from './slice';

export const TAKEN_BY_OTHER_COMPUTER = '此坐席已在另一台电脑登录,电话已转到那台电脑,本机不再振铃。';
export const OTHER_COMPUTER_LEFT = '另一台电脑已不再使用此坐席的电话,本机没有登记,来电不会在此振铃。';
const TAKEN_BY_OTHER_TAB = '电话已被另一个标签页接管,本页已停止登记';

export interface SeatOwnership {
  /** Asks the router for the seat's phone; `take` moves it here from another computer. */
  claim(take: boolean): void;
  /** The router gave this console the seat's phone (and has not taken it back since). */
  held(): boolean;
  /** A push: who holds the seat's phone now. */
  ownerChanged(owner: PhoneOwnerView): void;
  /** The router refused this console's credentials: another console holds the phone. */
  refused(reason: string): void;
  /** The socket is back: a quiet claim finds out whether a change was missed. */
  recheck(): void;
  /** Gives the phone up (stop, page closing) and forgets everything. */
  release(opts?: { keepalive?: boolean }): void;
  /** Another tab of this browser took the phone (Web Locks): forget it here, the router already knows. */
  drop(): void;
}

export interface SeatOwnershipHooks {
  /** The router gave us the phone: register. */
  onGranted(): void;
  /** The phone went to another console: stop the user agent and its calls here. */
  onLost(): void;
}

/**
 * One phone per seat across computers, with the router as the truth (POST /api/phone/claim and the
 * 'phone:owner-changed' push). Within one browser, tabs settle it first with Web Locks
 * (tab-ownership.ts); only the tab holding the lock claims here. A console that lost the phone says
 * so and offers 在此电脑使用电话; it never takes the phone back by itself.
 */
export function createSeatOwnership(core: PhoneCore, hooks: SeatOwnershipHooks): SeatOwnership {
  const { api, clock, consoleId } = core.deps;
  const retryMinMs = core.deps.retryMinMs ?? 2_000;
  const retryMaxMs = core.deps.retryMaxMs ?? 60_000;
  let held = false;
  /** This console's browser tag (the router's; tabs of one browser share it), once known. */
  let browser: string | null = null;
  let gen = 0;
  let retryTimer: unknown = null;
  let failures = 0;

  function clearRetry(): void {
    if (retryTimer !== null) clock.clearTimeout(retryTimer);
    retryTimer = null;
  }

  function elsewhere(text: string, notice: string | null): void {
    const p = core.phone();
    core.patch({
      ...initialPhoneState,
      devices: p.devices,
      online: p.online,
      lostCallId: p.lostCallId,
      registration: 'elsewhere',
      elsewhere: text,
      notice,
    });
  }

  function lose(text: string, byTab: boolean): void {
    const hadCall = core.phone().active !== null || core.phone().incoming !== null;
    held = false;
    hooks.onLost();
    if (byTab) {
      const p = core.phone();
      core.patch({
        ...initialPhoneState,
        devices: p.devices,
        online: p.online,
        lostCallId: p.lostCallId,
        registration: 'other-tab',
        notice: TAKEN_BY_OTHER_TAB,
      });
      return;
    }
    elsewhere(text, hadCall ? '电话已转到另一台电脑,本机的通话已结束' : null);
  }

  function claim(take: boolean, quiet = false): void {
    const mine = ++gen;
    clearRetry();
    if (!quiet) core.patch({ registration: 'connecting', elsewhere: null, error: null, retryAt: null });
    void api.claimPhone(consoleId, take).then(
      (ack) => {
        if (mine !== gen || !core.seatId) return;
        if (ack.ok) {
          failures = 0;
          browser = ack.data.browser;
          if (ack.data.owned) {
            const was = held;
            held = true;
            if (!was) hooks.onGranted();
            return;
          }
          const reason = ack.data.reason ?? TAKEN_BY_OTHER_COMPUTER;
          if (held) lose(reason, false);
          else elsewhere(reason, take ? reason : null);
          return;
        }
        if (quiet) return; // the socket's next reconnect checks again
        const error = ack.error;
        if (error.code === 'UNAUTHENTICATED') {
          core.patch({ registration: 'failed', error: '登录已失效,软电话已停止登记,请重新登录', retryAt: null });
          return;
        }
        if (error.code === 'FORBIDDEN') {
          core.patch({ registration: 'failed', error: errorMessage(error), retryAt: null });
          return;
        }
        failures++;
        const delay = Math.min(retryMaxMs, retryMinMs * 2 ** (failures - 1));
        core.patch({ registration: 'failed', error: `无法确认电话归属:${errorMessage(error)}`, retryAt: clock.now() + delay });
        retryTimer = clock.setTimeout(() => {
          retryTimer = null;
          claim(take);
        }, delay);
      },
      () => undefined,
    );
  }

  return {
    claim: (take) => claim(take),
    held: () => held,
    ownerChanged(owner) {
      if (!core.seatId || owner.seatId !== core.seatId) return;
      if (owner.consoleId === consoleId) {
        // Still ours: register again, in case a console that missed the change replaced our contact.
        if (held) core.ua?.register();
        return;
      }
      if (held) {
        lose(TAKEN_BY_OTHER_COMPUTER, browser !== null && owner.browser === browser);
        return;
      }
      if (core.phone().registration === 'elsewhere') {
        core.patch({ elsewhere: owner.consoleId === null ? OTHER_COMPUTER_LEFT : TAKEN_BY_OTHER_COMPUTER });
      }
    },
    refused(reason) {
      if (!held) return;
      gen++;
      lose(reason || TAKEN_BY_OTHER_COMPUTER, false);
    },
    recheck() {
      if (held) claim(false, true);
    },
    drop() {
      gen++;
      clearRetry();
      held = false;
    },
    release(opts) {
      gen++;
      clearRetry();
      failures = 0;
      if (held) void api.releasePhone(consoleId, opts);
      held = false;
    },
  };
}
