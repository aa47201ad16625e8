import { maskNumber, type CallbackRequestView } from '../../contract/index.js';
import type { CallbackRecord } from './callback-repository.js';

/** What a browser may see of a callback request: never the full number. */
export function callbackView(r: CallbackRecord): CallbackRequestView {
  return {
    id: r.id,
    callId: r.callId,
    callerMasked: maskNumber(r.caller),
    categoryId: r.categoryId,
    homeCentreId: r.homeCentreId,
    language: r.language,
    flags: r.flags,
    waitS: r.waitS,
    trigger: r.trigger,
    reason: r.reason,
    createdAt: r.createdAt,
    status: r.status,
  };
}
