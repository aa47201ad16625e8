import type { SeatStateView } from '../../contract';
import { assertNever } from '../../contract';

export interface SeatActionAvailability {
  ready: boolean;
  notReady: boolean;
  offline: boolean;
  /** 延长 (wrap-up only). */
  extend: boolean;
  /** 完成整理 (wrap-up only, once the summary is filed). */
  endWrapUp: boolean;
  /** Logging out of the console (a talking seat must finish the call first). */
  logout: boolean;
  /** Why the status buttons are off, when they all are or the summary gate holds them. */
  hint: string | null;
}

export interface SeatActionContext {
  /** Whether the summary (小结) of the call in wrap-up is filed: the server's wrap-up gate. */
  summaryFiled: boolean;
  /** Whether the server gates wrap-up on the summary at all (ReferenceData.summaryRequired; default on). */
  summaryRequired?: boolean;
}

export const SUMMARY_GATE_HINT = '请先提交小结,再完成整理、就绪、示忙或下线';

/**
 * Which buttons a seat may press in each state. Mirrors the server's allowed moves; the server
 * still decides, this only keeps the page from offering what it would refuse.
 * In wrap-up, 完成整理 is the way back to 就绪, so 就绪 stays off to avoid two buttons for one move.
 * The server keeps a seat in wrap-up until the call's summary is filed (wrapUp.requireSummary,
 * on by default): until then 完成整理, 示忙, 下线 and logging out wait, and say why.
 */
export function seatActionsFor(state: SeatStateView | null, ctx: SeatActionContext = { summaryFiled: false }): SeatActionAvailability {
  const none = { extend: false, endWrapUp: false };
  if (!state) return { ready: false, notReady: false, offline: false, ...none, logout: true, hint: '正在读取坐席状态…' };
  switch (state.kind) {
    case 'offline':
      return { ready: true, notReady: true, offline: false, ...none, logout: true, hint: null };
    case 'ready':
      return { ready: false, notReady: true, offline: true, ...none, logout: true, hint: null };
    case 'ringing':
      return { ready: false, notReady: true, offline: true, ...none, logout: true, hint: null };
    case 'talking':
      return {
        ready: false,
        notReady: false,
        offline: false,
        ...none,
        logout: false,
        hint: '通话中不能切换状态,挂机后进入话后整理',
      };
    case 'wrap-up': {
      const filed = ctx.summaryFiled || ctx.summaryRequired === false;
      return {
        ready: false,
        notReady: filed,
        offline: filed,
        extend: true,
        endWrapUp: filed,
        logout: filed,
        hint: filed ? null : SUMMARY_GATE_HINT,
      };
    }
    case 'not-ready':
      return { ready: true, notReady: true, offline: true, ...none, logout: true, hint: null };
    default:
      return assertNever(state, 'seat state');
  }
}
