import { createApi, createRequest } from '../shared/api';
import { createAccountsApi } from '../features/users/api';
import { createSocket } from '../shared/socket';
import { bindSocket } from './socket-bindings';
import { createSessionController } from '../features/session/controller';
import { createLazyPhone } from '../features/phone/lazy';
import { createTransferController } from '../features/transfer/controller';
import { createHandoverController } from '../features/handover/controller';
import { createKnowledgeController } from '../features/knowledge/controller';
import { createAlertsController, createCallbacksController } from '../features/monitor/controller';
import { createSeatDayController } from '../features/workbench/day-controller';
import { createSummaryController } from '../features/summary/controller';
import { browserStorage, createDraftStore, LOCAL_DRAFT_TTL_MS } from '../features/summary/storage';
import { appStore } from './store';
import { createVisitsController } from '../features/visits/controller';
import { createQcApi } from '../features/qc/api';

/**
 * The browser's one composition root: the api client, the session (and its socket), the lazily
 * loaded softphone, and each feature's controller, all bound to the one app store. Pages import
 * their controller from here; nothing else creates one.
 */
const api = createApi({
  fetch: (input, init) => fetch(input, init),
  // The Date header has 1 s resolution: only a skew beyond 2 s is worth correcting from it.
  onServerDate: (serverAt, localAt) => appStore.getState().noteServerTime(serverAt, localAt, 2_000),
});

/** 用户管理, 修改密码, 审计日志, 小结未填 and the deployment mode (演示环境). */
export const accounts = createAccountsApi(createRequest({ fetch: (input, init) => fetch(input, init) }));

/** The session owns the socket; its pushes land in the store through socket-bindings.ts. */
export const session = createSessionController({
  api,
  store: appStore,
  makeSocket: createSocket,
  bindPushes: (socket, hooks) => {
    const unbind = bindSocket(socket, appStore, hooks);
    // The seat's other tabs and computers: who holds the phone, and summaries filed there.
    const recheckPhone = () => phone.recheck();
    socket.on('connect', recheckPhone);
    socket.on('phone:owner-changed', (owner) => phone.ownerChanged(owner));
    socket.on('summary:filed', (filed) => summary.filedElsewhere(filed));
    return () => {
      unbind();
      socket.off('connect', recheckPhone);
      socket.off('phone:owner-changed');
      socket.off('summary:filed');
    };
  },
});

/**
 * The seat's softphone (features/phone): runs while a seat account is signed in on this page. Its
 * controller and JsSIP load on first start, so the login page and the other roles never fetch them.
 */
export const phone = createLazyPhone(appStore, () => import('../features/phone/browser').then((m) => m.createBrowserPhone(api, appStore)));
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

/** 转12345 and 12345 tickets: hand-over states, call-back requests, ticket content. */
export const handover = createHandoverController({
  handover: (id) => api.handover(id),
  callback: (id, note) => api.handoverCallback(id, note),
  ticket: (t) => api.ticket12345(t),
  handovers: (range) => api.handovers(range),
  referrals: (range) => api.referrals(range),
  page: api,
});

/** 知识库: the workbench panel's and the page's searches, and the entries' upkeep. */
export const knowledge = createKnowledgeController({ api, store: appStore });

/** The seat's queue and its own day on the workbench. */
export const seatDay = createSeatDayController({ load: () => api.seatToday(), store: appStore });

/** 重大事项上报 on the monitor. */
export const alerts = createAlertsController({ api, store: appStore });

/** 回电请求 on the monitor. */
export const callbacks = createCallbacksController({ api, store: appStore });

/** 通话小结 and 我的来电, bound to localStorage for the drafts. */
const drafts = createDraftStore(browserStorage());
drafts.prune(Date.now() - LOCAL_DRAFT_TTL_MS);
export const summary = createSummaryController({ api, store: appStore, drafts });
summary.attach();

// A hidden or closing page sends what the server lacks; the local copy is already written.
if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void summary.flushAll({ keepalive: true });
  });
}
if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => void summary.flushAll({ keepalive: true }));
}

/** The 回访 page's requests (features/visits). */
export const visits = createVisitsController({ api });

/** 质检 and 我的质检 (features/qc). */
export const qc = createQcApi(createRequest({ fetch: (input, init) => fetch(input, init) }));
