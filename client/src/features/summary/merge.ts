import type { SummaryDraft, SummaryDraftView } from '../../contract';
import type { LocalDraftRecord } from './storage';

export interface MergedDraft {
  source: 'local' | 'server' | 'none';
  draft: SummaryDraft;
  /** The local copy holds what the server lacks: send it. */
  needsPush: boolean;
}

/**
 * Which copy of a draft to continue from after a reload: this browser's or the server's.
 * The newer one wins, judged so that neither a crash mid-save nor clock skew loses typing:
 *
 * - The server's copy is one this browser already saw acknowledged (its savedAt is not past
 *   the last acknowledgement): the local copy holds all of it, plus any typing not sent yet.
 * - Otherwise the server holds a save this browser never saw answered. When the local copy
 *   was edited after the content of its last unanswered save, that save is the likely one
 *   and the local copy is newer. Failing that, the newer of the local edit time and the
 *   server's savedAt wins (both on the server's clock); an unedited local copy loses.
 */
export function mergeDrafts(local: LocalDraftRecord | null, server: SummaryDraftView | null): MergedDraft {
  if (!local && !server) return { source: 'none', draft: {}, needsPush: false };
  if (!local) return { source: 'server', draft: server!.draft, needsPush: false };
  if (!server) return { source: 'local', draft: local.draft, needsPush: true };

  if (local.serverSavedAt !== null && server.savedAt <= local.serverSavedAt) {
    return { source: 'local', draft: local.draft, needsPush: local.dirty };
  }
  if (!local.dirty) return { source: 'server', draft: server.draft, needsPush: false };
  if (local.sentEditedAt !== null && local.editedAt > local.sentEditedAt) {
    return { source: 'local', draft: local.draft, needsPush: true };
  }
  if (local.sentEditedAt !== null && local.editedAt === local.sentEditedAt) {
    // The unanswered save carried exactly the local content.
    return { source: 'server', draft: server.draft, needsPush: false };
  }
  return local.editedAt > server.savedAt
    ? { source: 'local', draft: local.draft, needsPush: true }
    : { source: 'server', draft: server.draft, needsPush: false };
}
