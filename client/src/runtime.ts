import { createApi } from './api';
import { createSessionController } from './session';
import { createSocket } from './socket';
import { appStore } from './store';

/** The browser's composition root: the one api, store and session controller of the page. */
export const api = createApi({
  fetch: (input, init) => fetch(input, init),
  // The Date header has 1 s resolution: only a skew beyond 2 s is worth correcting from it.
  onServerDate: (serverAt, localAt) => appStore.getState().noteServerTime(serverAt, localAt, 2_000),
});

export const session = createSessionController({ api, store: appStore, makeSocket: createSocket });
