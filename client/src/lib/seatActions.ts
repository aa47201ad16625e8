import type { SeatStateView } from '../contract';

export interface SeatActionAvailability {
  ready: boolean;
  notReady: boolean;
  offline: boolean;
  /** 延长 / 完成整理 */
  wrapUp: boolean;
  /** Logging out of the console (a talking seat must finish the call first). */
  logout: boolean;
  /** Why the status buttons are off, when they all are. */
  hint: string | null;
}

/**
 * Which buttons a seat may press in each state. Mirrors the server's allowed moves; the server
 * still decides, this only keeps the page from offering what it would refuse.
 * In wrap-up, 完成整理 is the way back to 空闲, so 就绪 stays off to avoid two buttons for one move.
 */
export function seatActionsFor(state: SeatStateView | null): SeatActionAvailability {
  if (!state) return { ready: false, notReady: false, offline: false, wrapUp: false, logout: true, hint: '正在读取坐席状态…' };
  switch (state.kind) {
    case 'offline':
      return { ready: true, notReady: true, offline: false, wrapUp: false, logout: true, hint: null };
    case 'ready':
      return { ready: false, notReady: true, offline: true, wrapUp: false, logout: true, hint: null };
    case 'ringing':
      return { ready: false, notReady: true, offline: true, wrapUp: false, logout: true, hint: null };
    case 'talking':
      return {
        ready: false,
        notReady: false,
        offline: false,
        wrapUp: false,
        logout: false,
        hint: '通话中不能切换状态,挂机后进入话后整理',
      };
    case 'wrap-up':
      return { ready: false, notReady: true, offline: true, wrapUp: true, logout: true, hint: null };
    case 'not-ready':
      return { ready: true, notReady: true, offline: true, wrapUp: false, logout: true, hint: null };
    default:
      return assertNever(state);
  }
}

function assertNever(x: never): never {
  throw new Error(`Unhandled seat state: ${JSON.stringify(x)}`);
}
