/**
 * The client's single door to the shared contract. Everything else in client/ imports from
 * here, so the relative path to server/src/contract lives in one place. The contract brings
 * the vocabulary (server/src/vocabulary) and zod with it, and no other server module
 * (tests/unit/contract-boundary.test.ts checks the bundle).
 */
import './zod-config';

export * from '../../server/src/contract';
