import type { AppStore } from '../../app/store';
import type { PhoneController, TransferResult } from './controller';

const NOT_READY: TransferResult = { ok: false, detail: '软电话尚未就绪' };

/**
 * The softphone as the page sees it before its code has arrived: the controller (and JsSIP with
 * it) is loaded by dynamic import on the first start(), then every command goes straight to it.
 * A command before that finds no call to act on, as the real controller would.
 */
export function createLazyPhone(store: AppStore, load: () => Promise<PhoneController>): PhoneController {
  let real: PhoneController | null = null;
  let loading: Promise<void> | null = null;
  let wanted = false;

  function ensure(): void {
    if (real || loading) return;
    loading = load().then(
      (controller) => {
        real = controller;
        if (wanted) controller.start();
      },
      () => {
        loading = null;
        if (wanted) store.getState().phoneChanged({ registration: 'failed', error: '软电话模块未能加载,请刷新页面' });
      },
    );
  }

  return {
    start() {
      wanted = true;
      if (real) real.start();
      else ensure();
    },
    stop() {
      wanted = false;
      real?.stop();
    },
    unload: () => real?.unload(),
    takeOver: () => real?.takeOver(),
    takeBack: () => real?.takeBack(),
    ownerChanged: (owner) => real?.ownerChanged(owner),
    recheck: () => real?.recheck(),
    retryNow() {
      if (real) real.retryNow();
      else if (wanted) ensure();
    },
    answer: () => real?.answer(),
    decline: () => real?.decline(),
    hangup: () => real?.hangup(),
    toggleMute: () => real?.toggleMute(),
    toggleHold: () => real?.toggleHold(),
    sendDtmf: (digit) => real?.sendDtmf(digit),
    refer: (uri) => (real ? real.refer(uri) : Promise.resolve(NOT_READY)),
    consult: (uri, headers) => (real ? real.consult(uri, headers) : Promise.resolve(NOT_READY)),
    hangupConsult: (opts) => real?.hangupConsult(opts),
    resumeCaller: () => real?.resumeCaller(),
    dialOut: (uri) => (real ? real.dialOut(uri) : Promise.resolve(NOT_READY)),
    selectInput: (id) => real?.selectInput(id),
    selectOutput: (id) => real?.selectOutput(id),
    dismissNotice: () => real?.dismissNotice(),
  };
}
