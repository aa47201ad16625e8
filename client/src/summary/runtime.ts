import { api } from '../runtime';
import { appStore } from '../store';
import { createSummaryController } from './controller';
import { browserStorage, createDraftStore, LOCAL_DRAFT_TTL_MS } from './storage';

/** The page's one summary controller, bound to the app's store, api and localStorage. */
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
