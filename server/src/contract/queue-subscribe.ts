import { z } from 'zod';

/** 'queue:subscribe': `deltas` asks for 'queue:changed' pushes instead of whole snapshots. */
export const QueueSubscribeSchema = z.object({ deltas: z.boolean().optional() }).strict();
