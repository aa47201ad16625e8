/**
 * The vocabulary both the domain and the contract speak: state kinds, flags, reasons, results,
 * error codes and their zh-CN labels, named once. It imports nothing, so the browser can bundle it
 * and the domain can depend on it without reaching outside itself.
 */
export * from './call-results.js';
export * from './call-states.js';
export * from './caller-flags.js';
export * from './error-codes.js';
export * from './hangup.js';
export * from './not-ready-reasons.js';
export * from './overflow.js';
export * from './languages.js';
export * from './seat-states.js';
export * from './assert-never.js';
