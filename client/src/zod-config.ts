/**
 * The console runs under a CSP without 'unsafe-eval' (server/src/transport/security.ts): zod
 * must not compile its parsers with new Function, nor even probe whether it may. Imported by
 * contract.ts before the contract itself, so it runs before any schema is built.
 */
import { z } from 'zod';

z.config({ jitless: true });
