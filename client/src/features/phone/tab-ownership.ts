import { initialPhoneState } from './slice';
import type { PhoneCore } from './core';
import type { LockManagerLike } from './types';

const lockName = (seatId: string) => `hotline-phone:${seatId}`;

export interface TabOwnership {
  /**
   * 'try' at start, 'wait' while another tab owns the phone (we take it when that tab closes or
   * stops), 'steal' on 在此页面使用. A stolen lock rejects the owner's request: it stops its user agent.
   */
  claim(mode: 'try' | 'wait' | 'steal'): void;
  /** This tab holds the seat's phone lock. */
  owned(): boolean;
  /** Gives the lock up (or stops waiting for it). */
  release(): void;
}

export interface TabOwnershipHooks {
  /** This tab now owns the phone: register. */
  onOwned(): void;
  /** Another tab took the phone: stop the user agent and its calls here. */
  onLost(): void;
}

/**
 * One phone per seat across the browser's tabs (Web Locks): the tab holding the seat's lock
 * registers; the others say so and wait for the lock, or take it over on request.
 */
export function createTabOwnership(core: PhoneCore, hooks: TabOwnershipHooks): TabOwnership {
  const { locks } = core.deps;
  let owned = false;
  let lockGen = 0;
  let releaseLock: (() => void) | null = null;
  let waitAbort: AbortController | null = null;

  function claim(mode: 'try' | 'wait' | 'steal'): void {
    const seat = core.seatId;
    if (!seat) return;
    if (!locks) {
      becomeOwner();
      return;
    }
    const gen = ++lockGen;
    waitAbort?.abort();
    waitAbort = null;
    let options: Parameters<LockManagerLike['request']>[1];
    if (mode === 'try') options = { mode: 'exclusive', ifAvailable: true };
    else if (mode === 'steal') options = { mode: 'exclusive', steal: true };
    else {
      waitAbort = new AbortController();
      options = { mode: 'exclusive', signal: waitAbort.signal };
    }
    let granted = false;
    locks
      .request(lockName(seat), options, (lock) => {
        if (gen !== lockGen || core.seatId !== seat) return undefined; // stale: let it go at once
        if (lock === null) {
          otherTab(null);
          claim('wait');
          return undefined;
        }
        granted = true;
        return new Promise<void>((release) => {
          releaseLock = release;
          becomeOwner();
        });
      })
      .catch(() => {
        // An aborted wait (ours, on purpose) or, once granted, the lock stolen by another tab.
        if (gen !== lockGen || !granted) return;
        lostToOtherTab();
      });
  }

  function otherTab(notice: string | null): void {
    const p = core.phone();
    core.patch({ ...initialPhoneState, devices: p.devices, online: p.online, lostCallId: p.lostCallId, registration: 'other-tab', notice });
  }

  function becomeOwner(): void {
    owned = true;
    hooks.onOwned();
  }

  function lostToOtherTab(): void {
    const hadCall = core.phone().active !== null || core.phone().incoming !== null;
    owned = false;
    releaseLock?.();
    releaseLock = null;
    hooks.onLost();
    otherTab(hadCall ? '电话已被另一个标签页接管,本页的通话已结束' : '电话已被另一个标签页接管,本页已停止登记');
    claim('wait');
  }

  return {
    claim,
    owned: () => owned,
    release() {
      lockGen++;
      waitAbort?.abort();
      waitAbort = null;
      releaseLock?.();
      releaseLock = null;
      owned = false;
    },
  };
}
