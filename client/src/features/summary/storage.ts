import { SummaryDraftSchema, type SummaryDraft } from '../../contract';

/**
 * The browser's copy of a summary draft (小结草稿), written synchronously on every change so a
 * reload or a crash mid-typing loses nothing. One record per user and call.
 */
export interface LocalDraftRecord {
  v: 1;
  callId: string;
  draft: SummaryDraft;
  /** Server-clock ms of the last edit. */
  editedAt: number;
  /** The server has not acknowledged this content yet. */
  dirty: boolean;
  /** `savedAt` of the last draft save the server acknowledged to this browser, or null. */
  serverSavedAt: number | null;
  /** `editedAt` of the content in a save sent but not yet answered, or null. */
  sentEditedAt: number | null;
  /** The last note sent as a major-matter alert, so a reload does not send it twice. */
  reported: { note: string; at: number } | null;
}

/** The part of the Web Storage API used here (tests pass a Map-backed one). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

const PREFIX = 'hotline12348:summary-draft:';
/** Local copies older than this are dropped at start; the server keeps its own copy. */
export const LOCAL_DRAFT_TTL_MS = 7 * 24 * 3600_000;

export interface DraftStore {
  read: (owner: string, callId: string) => LocalDraftRecord | null;
  /** False when the browser refused (storage full or disabled). */
  write: (owner: string, record: LocalDraftRecord) => boolean;
  update: (owner: string, callId: string, change: (r: LocalDraftRecord) => LocalDraftRecord) => void;
  remove: (owner: string, callId: string) => void;
  /** Every record of `owner`, newest edit first. */
  list: (owner: string) => LocalDraftRecord[];
  /** Drops records edited before `before`, and any that no longer parse. */
  prune: (before: number) => void;
}

const keyOf = (owner: string, callId: string) => `${PREFIX}${encodeURIComponent(owner)}:${encodeURIComponent(callId)}`;

function parse(raw: string | null): LocalDraftRecord | null {
  if (!raw) return null;
  try {
    const r = JSON.parse(raw) as Partial<LocalDraftRecord>;
    if (r.v !== 1 || typeof r.callId !== 'string' || typeof r.editedAt !== 'number') return null;
    // A draft is data the page reads back into inputs: keep only what the contract allows.
    const draft = SummaryDraftSchema.safeParse(r.draft ?? {});
    return {
      v: 1,
      callId: r.callId,
      draft: draft.success ? draft.data : {},
      editedAt: r.editedAt,
      dirty: r.dirty === true,
      serverSavedAt: typeof r.serverSavedAt === 'number' ? r.serverSavedAt : null,
      sentEditedAt: typeof r.sentEditedAt === 'number' ? r.sentEditedAt : null,
      reported: r.reported && typeof r.reported.note === 'string' ? { note: r.reported.note, at: Number(r.reported.at) } : null,
    };
  } catch {
    return null;
  }
}

export function createDraftStore(storage: KeyValueStorage | null): DraftStore {
  const safe = <T>(fn: () => T, fallback: T): T => {
    if (!storage) return fallback;
    try {
      return fn();
    } catch {
      return fallback;
    }
  };
  const keys = (): string[] =>
    safe(() => {
      const out: string[] = [];
      for (let i = 0; i < storage!.length; i++) {
        const k = storage!.key(i);
        if (k?.startsWith(PREFIX)) out.push(k);
      }
      return out;
    }, []);

  const store: DraftStore = {
    read: (owner, callId) => safe(() => parse(storage!.getItem(keyOf(owner, callId))), null),
    write: (owner, record) =>
      safe(() => {
        storage!.setItem(keyOf(owner, record.callId), JSON.stringify(record));
        return true;
      }, false),
    update: (owner, callId, change) => {
      const r = store.read(owner, callId);
      if (r) store.write(owner, change(r));
    },
    remove: (owner, callId) => safe(() => storage!.removeItem(keyOf(owner, callId)), undefined),
    list: (owner) => {
      const prefix = `${PREFIX}${encodeURIComponent(owner)}:`;
      return keys()
        .filter((k) => k.startsWith(prefix))
        .map((k) => safe(() => parse(storage!.getItem(k)), null))
        .filter((r): r is LocalDraftRecord => r !== null)
        .sort((a, b) => b.editedAt - a.editedAt);
    },
    prune: (before) => {
      for (const k of keys()) {
        const r = safe(() => parse(storage!.getItem(k)), null);
        if (!r || r.editedAt < before) safe(() => storage!.removeItem(k), undefined);
      }
    },
  };
  return store;
}

/** The page's localStorage, or null where it is unavailable (private mode, disabled). */
export function browserStorage(): KeyValueStorage | null {
  try {
    const s = globalThis.localStorage;
    return s ?? null;
  } catch {
    return null;
  }
}

const EDIT_PREFIX = 'hotline12348:summary-edit:';

/**
 * The browser's copy of an edit made outside the live call (修改 or 补写 on 我的来电), written on
 * every change and dropped once saved or cancelled, so a reload mid-edit loses nothing either.
 */
export function createEditStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {
  const keyOf = (owner: string, mode: string, callId: string) =>
    `${EDIT_PREFIX}${encodeURIComponent(owner)}:${mode}:${encodeURIComponent(callId)}`;
  return {
    read(owner: string, mode: string, callId: string): SummaryDraft | null {
      try {
        const raw = storage.getItem(keyOf(owner, mode, callId));
        if (!raw) return null;
        const parsed = SummaryDraftSchema.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    write(owner: string, mode: string, callId: string, draft: SummaryDraft): void {
      try {
        storage.setItem(keyOf(owner, mode, callId), JSON.stringify(draft));
      } catch {
        // storage full or disabled: the edit still lives in the page
      }
    },
    remove(owner: string, mode: string, callId: string): void {
      try {
        storage.removeItem(keyOf(owner, mode, callId));
      } catch {
        // nothing to do
      }
    },
  };
}
