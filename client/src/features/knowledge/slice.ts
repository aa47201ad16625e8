import type { Ack, KnowledgeEntry, KnowledgeHit, KnowledgeSearchResponse } from '../../contract';
import { errorMessage, NETWORK_ERROR } from '../../shared/errors';
import type { SliceCreator } from '../../app/store-types';

/** Two independent searches: the seat workbench's panel and the 知识库 page. */
export type KnowledgeScope = 'panel' | 'page';

export interface KnowledgeQueryParams {
  q: string;
  category: string | null;
}

export interface KnowledgeSearchState {
  /** What the hits answer (the query of the last finished search). */
  query: KnowledgeQueryParams | null;
  hits: KnowledgeHit[];
  /** What the server looked for (the query read: 被打了 → 被打), to mark in the hits' questions. */
  terms: string[];
  loading: boolean;
  error: string | null;
  /** Sequence of the newest search sent; an older answer arriving late is dropped. */
  seq: number;
}

export interface KnowledgeSlice {
  knowledge: Record<KnowledgeScope, KnowledgeSearchState>;

  /** Sends one search (through `send`) and shows its hits unless a newer search was sent meanwhile. */
  runKnowledgeSearch: (
    scope: KnowledgeScope,
    query: KnowledgeQueryParams,
    send: () => Promise<Ack<KnowledgeSearchResponse>>,
  ) => Promise<void>;
  /** An entry was saved: every list showing it shows the new version. */
  knowledgeEntrySaved: (entry: KnowledgeEntry) => void;
  /** An entry was retired: it leaves every list. */
  knowledgeEntryRetired: (id: number) => void;
}

const idleSearch: KnowledgeSearchState = { query: null, hits: [], terms: [], loading: false, error: null, seq: 0 };

export const initialKnowledgeState = {
  knowledge: { panel: idleSearch, page: idleSearch },
} satisfies Partial<KnowledgeSlice>;

/** What one user searched is not shown to the next one signing in here: resetAll clears it. */
export const createKnowledgeSlice: SliceCreator<KnowledgeSlice> = (set, get) => {
  const patch = (scope: KnowledgeScope, part: Partial<KnowledgeSearchState>) =>
    set((s) => ({ knowledge: { ...s.knowledge, [scope]: { ...s.knowledge[scope], ...part } } }));

  return {
    ...initialKnowledgeState,

    runKnowledgeSearch: async (scope, query, send) => {
      const seq = get().knowledge[scope].seq + 1;
      patch(scope, { seq, loading: true, error: null });
      let ack: Ack<KnowledgeSearchResponse>;
      try {
        ack = await send();
      } catch {
        ack = { ok: false, error: NETWORK_ERROR };
      }
      if (get().knowledge[scope].seq !== seq) return;
      if (ack.ok) patch(scope, { loading: false, query, hits: ack.data.hits, terms: ack.data.terms });
      else if (ack.error.code === 'UNAUTHENTICATED') get().signedOut(errorMessage(ack.error));
      else patch(scope, { loading: false, error: errorMessage(ack.error) });
    },

    knowledgeEntrySaved: (entry) =>
      set((s) => ({
        knowledge: mapScopes(s.knowledge, (st) => ({
          ...st,
          // A hit keeps its snippet: it marks where the query matched, which an edit rarely moves.
          hits: st.hits.map((h) => (h.id === entry.id ? { ...entry, snippet: h.snippet } : h)),
        })),
      })),

    knowledgeEntryRetired: (id) =>
      set((s) => ({ knowledge: mapScopes(s.knowledge, (st) => ({ ...st, hits: st.hits.filter((h) => h.id !== id) })) })),
  };
};

function mapScopes(
  all: Record<KnowledgeScope, KnowledgeSearchState>,
  fn: (st: KnowledgeSearchState) => KnowledgeSearchState,
): Record<KnowledgeScope, KnowledgeSearchState> {
  return { panel: fn(all.panel), page: fn(all.page) };
}
