/**
 * npm run retention [-- --dry-run]: the retention policy (README "Retention") on the database
 * DB_PATH names, while the router runs. --dry-run prints what a run would change and changes
 * nothing; a run anonymises caller numbers past RETENTION_CALLER_MONTHS, deletes sessions and
 * records past their days, and writes one audit entry (retention.run) with the counts.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/src/config.js';
import { SystemClock } from '../server/src/domain/clock.js';
import { AuditRepository } from '../server/src/features/audit/audit-repository.js';
import { AuditService } from '../server/src/features/audit/audit-service.js';
import { RetentionRepository } from '../server/src/features/retention/retention-repository.js';
import { RetentionService } from '../server/src/features/retention/retention-service.js';
import { databaseFileProblem } from '../server/src/store/db-file.js';
import { openDatabase } from '../server/src/store/db.js';

const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } });
const config = loadConfig();
const problem = databaseFileProblem(config.DB_PATH, true);
if (problem) {
  console.error(problem);
  process.exit(1);
}
const db = openDatabase(config.DB_PATH);
const service = new RetentionService(
  db,
  new RetentionRepository(db),
  new AuditService(db, new AuditRepository(db), SystemClock),
  SystemClock,
  {
    callerMonths: config.RETENTION_CALLER_MONTHS,
    sessionDays: config.RETENTION_SESSION_DAYS,
    recordDays: config.RETENTION_RECORD_DAYS,
  },
);
const r = service.run({ dryRun: values['dry-run'] });
db.close();
const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
console.log(
  `${r.dryRun ? 'retention DRY RUN (nothing changed)' : 'retention run (audited as retention.run)'}: ` +
    `caller numbers of calls ended before ${day(r.cutoffs.callerBefore)}, sessions ended before ${day(r.cutoffs.sessionsBefore)}, ` +
    `records before ${day(r.cutoffs.recordsBefore)}`,
);
for (const [k, n] of Object.entries(r.counts)) console.log(`  ${k.padEnd(16)} ${r.dryRun ? 'would change' : 'changed'} ${n}`);
