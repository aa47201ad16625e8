/**
 * npm run audit:verify: walks the audit log of the database DB_PATH names and checks every
 * entry's hash chain. Exit 0 when every entry fits; exit 1 naming the first entry that does not.
 */
import { loadConfig } from '../server/src/config.js';
import { SystemClock } from '../server/src/domain/clock.js';
import { AuditRepository } from '../server/src/features/audit/audit-repository.js';
import { AuditService } from '../server/src/features/audit/audit-service.js';
import { openDatabase } from '../server/src/store/db.js';

const config = loadConfig();
const db = openDatabase(config.DB_PATH);
const verdict = new AuditService(db, new AuditRepository(db), SystemClock).verify();
db.close();
if (verdict.ok) {
  console.log(`audit log OK: ${verdict.entries} entries, chain head ${verdict.lastHash}`);
} else {
  console.error(`audit log BROKEN at entry ${verdict.firstBadId}: ${verdict.problem}`);
  process.exit(1);
}
