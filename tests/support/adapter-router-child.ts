/**
 * Child process for the commit path's kill test: the engine and the Kamailio adapter on a
 * database file (WAL, synchronous=FULL), connected to the parent's fake Kamailio on `port`,
 * seat s1 signed in. Prints READY once synced; the parent registers s1, sends calls and
 * kills this process with SIGKILL the moment a `ring` decision reaches it.
 */
import { SystemClock } from '../../server/src/domain/clock.js';
import { AcdEngine } from '../../server/src/domain/engine.js';
import { openDatabase } from '../../server/src/store/db.js';
import { SqliteEngineStore } from '../../server/src/store/engine-store.js';
import { SipLegRepo } from '../../server/src/store/sip-legs.js';
import { makeConfig, seat } from '../unit/support/engine-harness.js';
import { wireAdapter, type FakeKamailio } from '../unit/support/fake-kamailio.js';

const [dbPath, port] = process.argv.slice(2);
const db = openDatabase(dbPath!);
db.prepare(
  `INSERT OR IGNORE INTO seats (id, name, staff_no, centre_id, skills_json, languages_json) VALUES ('s1', 'Lawyer s1', 's1', 'city', '{"labor":5}', '["zh"]')`,
).run();
const { engine, adapter } = wireAdapter(
  { port: Number(port) } as FakeKamailio,
  new SipLegRepo(db),
  (telephony) =>
    new AcdEngine({
      clock: SystemClock,
      store: new SqliteEngineStore(db),
      telephony,
      config: makeConfig(),
      seats: [seat('s1', { labor: 5 })],
      requireRegistration: true,
      onStorageFailure: () => {},
    }),
);
adapter.start();
const waitFor = async (ok: () => boolean, what: string) => {
  const end = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
await waitFor(() => adapter.status().synced, 'synced');
process.stdout.write('SYNCED\n');
await waitFor(() => engine.getSeat('s1').registered, 'registered');
engine.setSeatReady('s1');
process.stdout.write('READY\n');
setInterval(() => {}, 1000);
