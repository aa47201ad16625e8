/**
 * The client's single door to the shared contract. Everything else in client/ imports from
 * here, so the relative path to server/src/contract lives in one place.
 */
export * from '../../server/src/contract';
