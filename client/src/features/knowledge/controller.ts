import type { Api } from '../../shared/api';
import type { Ack, KnowledgeEntry, KnowledgeEntryInput } from '../../contract';
import { errorMessage } from '../../shared/errors';
import type { AppStore } from '../../app/store';
import type { KnowledgeQueryParams, KnowledgeScope } from './slice';

export type KnowledgeApi = Pick<Api, 'searchKnowledge' | 'getKnowledge' | 'createKnowledge' | 'updateKnowledge' | 'retireKnowledge'>;

export interface KnowledgeController {
  /** One search of the panel's or the page's list; a newer one makes an older answer moot. */
  search(scope: KnowledgeScope, query: KnowledgeQueryParams, limit: number): Promise<void>;
  /**
   * Creates (`base` null) or updates an entry. Every list shows a saved entry at once; an expired
   * session signs out. The Ack is returned for the editor to show field errors or a conflict.
   */
  save(base: KnowledgeEntry | null, input: KnowledgeEntryInput): Promise<Ack<KnowledgeEntry>>;
  /** The entry's current version (after a conflict); one retired meanwhile leaves the lists. */
  reload(id: number): Promise<Ack<KnowledgeEntry>>;
  /** 停用: the entry leaves every list (also when it was already retired elsewhere). */
  retire(id: number): Promise<Ack<unknown>>;
}

/** 知识库: the only code that talks to the server about knowledge entries. */
export function createKnowledgeController(deps: { api: KnowledgeApi; store: AppStore }): KnowledgeController {
  const { api, store } = deps;
  const st = () => store.getState();
  return {
    search: (scope, query, limit) => st().runKnowledgeSearch(scope, query, () => api.searchKnowledge({ ...query, limit })),

    async save(base, input) {
      const ack = base ? await api.updateKnowledge(base.id, { ...input, version: base.version }) : await api.createKnowledge(input);
      if (ack.ok) st().knowledgeEntrySaved(ack.data);
      else if (ack.error.code === 'UNAUTHENTICATED') st().signedOut(errorMessage(ack.error));
      return ack;
    },

    async reload(id) {
      const ack = await api.getKnowledge(id);
      if (ack.ok) st().knowledgeEntrySaved(ack.data);
      else if (ack.error.code === 'NOT_FOUND') st().knowledgeEntryRetired(id);
      return ack;
    },

    async retire(id) {
      const ack = await api.retireKnowledge(id);
      if (ack.ok || ack.error.code === 'NOT_FOUND') st().knowledgeEntryRetired(id);
      else if (ack.error.code === 'UNAUTHENTICATED') st().signedOut(errorMessage(ack.error));
      return ack;
    },
  };
}
