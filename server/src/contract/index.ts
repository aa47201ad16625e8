/**
 * The one typed contract between the routing server and the browser: REST shapes, Socket.IO
 * event maps and zod schemas for every payload, one file per topic. Both sides import this
 * barrel. The contract imports only zod and the vocabulary (server/src/vocabulary), never the
 * domain, so the browser bundles no server module; the vocabulary is re-exported here whole.
 */
export * from '../vocabulary/index.js';
export * from './common.js';
export * from './auth.js';
export * from './reference.js';
export * from './routing-admin.js';
export * from './phone.js';
export * from './seats.js';
export * from './seat-day.js';
export * from './calls.js';
export * from './queue.js';
export * from './queue-subscribe.js';
export * from './supervisor.js';
export * from './summaries.js';
export * from './history.js';
export * from './alerts.js';
export * from './callbacks.js';
export * from './live-alerts.js';
export * from './knowledge.js';
export * from './transfers.js';
export * from './handover.js';
export * from './events.js';
export * from './users.js';
export * from './permissions.js';
export * from './reports.js';
export * from './report-definitions.js';
export * from './satisfaction.js';
export * from './outbound.js';
export * from './qc.js';
export * from './survey.js';
export * from './recordings.js';
