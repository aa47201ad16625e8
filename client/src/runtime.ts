import { createApi } from './api';
import { createBrowserPhone } from './phone/browser';
import { createSessionController } from './session';
import { createSocket } from './socket';
import { appStore } from './store';
import { createTransferController } from './transfer';

/** The browser's composition root: the one api, store and session controller of the page. */
export const api = createApi({
  fetch: (input, init) => fetch(input, init),
  // The Date header has 1 s resolution: only a skew beyond 2 s is worth correcting from it.
  onServerDate: (serverAt, localAt) => appStore.getState().noteServerTime(serverAt, localAt, 2_000),
});

export const session = createSessionController({ api, store: appStore, makeSocket: createSocket });

/** The seat's softphone (client/src/phone): runs while a seat account is signed in on this page. */
export const phone = createBrowserPhone(api, appStore);
appStore.subscribe((state, prev) => {
  if (state.user === prev.user) return;
  const user = state.user;
  if (user?.role === 'seat' && user.seatId) phone.start();
  else phone.stop();
});

/** 转接: the router names the target and the REFER URI, the phone carries it out. */
export const transfers = createTransferController({
  store: appStore,
  phone,
  start: (req) => session.command('call:transfer', req),
  report: (req) => session.command('transfer:report', req),
  targets: () => api.transferTargets(),
});
