/**
 * Bench only (bench/sip-latency.bench.ts --sqlite-normal): loaded into the router with
 * `node --import`, it turns `PRAGMA synchronous = FULL` into NORMAL, so a WAL commit no
 * longer waits for fsync (still safe against a process crash, not against power loss).
 * It measures how much of the router's decision time is the durable write; it is not a
 * recommendation to ship.
 */
import { createRequire } from 'node:module';

const require = createRequire(`${process.cwd()}/package.json`);
const Database = require('better-sqlite3');
const pragma = Database.prototype.pragma;
Database.prototype.pragma = function patched(source, options) {
  if (typeof source === 'string' && /^\s*synchronous\s*=\s*full\s*$/i.test(source)) source = 'synchronous = NORMAL';
  return pragma.call(this, source, options);
};
