import type { AccountParts } from './accounts.js';
import type { EngineParts } from './engine.js';
import type { HandoverParts } from './handover.js';
import type { KnowledgeParts } from './knowledge.js';
import type { LiveParts } from './live.js';
import type { SatisfactionParts } from './satisfaction.js';
import type { SummaryReportParts } from './summaries-reports.js';

/** Everything the builders made, in the order createApp (app.ts) builds it. */
export type Parts = EngineParts & AccountParts & HandoverParts & SummaryReportParts & LiveParts & SatisfactionParts & KnowledgeParts;
