import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../domain/errors.js';

/** Requests that change nothing in the database (the phone's owner is kept in memory). */
const WRITES_WITHOUT_STORAGE = new Set(['/phone/claim', '/phone/release']);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * While the database cannot be written (`outage()` gives the zh-CN sentence, or null), every API
 * request that would write is refused up front with 503 STORAGE_FULL: no half-done work, one clear
 * answer. Reads go on (the supervisors see the alarm and the live queue).
 */
export function storageGate(outage: () => string | null) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const message = READS.has(req.method) || WRITES_WITHOUT_STORAGE.has(req.path) ? null : outage();
    next(message ? new DomainError('STORAGE_FULL', message) : undefined);
  };
}
