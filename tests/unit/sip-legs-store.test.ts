/**
 * The stored SIP legs (sip_legs, one b-tree keyed by Call-ID since schema version 15):
 * a restarted router lists them oldest first, legs of the same millisecond in the order
 * they were stored, and a database of an earlier version keeps its legs in their order.
 */
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../server/src/store/db.js';
import { SipLegRepo, type SipLeg } from '../../server/src/store/sip-legs.js';

const leg = (callId: string, arrivedAt: number): SipLeg => ({
  callId,
  tindex: 1,
  tlabel: 2,
  arrivedAt,
  enqueueJson: `{"callid":"${callId}"}`,
});

describe('stored SIP legs', () => {
  it('are listed by arrival, legs of the same millisecond in the order stored, also by a repository opened later', () => {
    const db = openDatabase(':memory:');
    const repo = new SipLegRepo(db);
    for (const id of ['z', 'a', 'm']) repo.save(leg(id, 1000));
    repo.save(leg('early', 999));
    repo.save({ ...leg('z', 5000), tindex: 7 }); // stored again (a resync): keeps its place, takes the new transaction id
    const again = new SipLegRepo(db);
    for (const id of ['b', 'y']) again.save(leg(id, 1000));
    expect(again.list().map((l) => `${l.callId}:${l.tindex}`)).toEqual(['early:1', 'z:7', 'a:1', 'm:1', 'b:1', 'y:1']);
    again.delete('a');
    expect(again.list().map((l) => l.callId)).toEqual(['early', 'z', 'm', 'b', 'y']);
  });

  it('of a database from before schema version 15 keep their order and content through the migration', () => {
    const db = openDatabase(':memory:');
    // The table as versions 2-14 had it, with rows stored in the same millisecond.
    db.exec(`DROP TABLE sip_legs;
      CREATE TABLE sip_legs (call_id TEXT PRIMARY KEY, tindex INTEGER NOT NULL, tlabel INTEGER NOT NULL, arrived_at INTEGER NOT NULL, enqueue_json TEXT NOT NULL);
      INSERT INTO sip_legs VALUES ('z', 11, 21, 1000, '{"n":1}'), ('a', 12, 22, 1000, '{"n":2}'), ('m', 13, 23, 900, '{"n":3}');
      DELETE FROM schema_migrations WHERE version = 15;`);
    migrate(db);
    expect(new SipLegRepo(db).list()).toEqual([
      { callId: 'm', tindex: 13, tlabel: 23, arrivedAt: 900, enqueueJson: '{"n":3}' },
      { callId: 'z', tindex: 11, tlabel: 21, arrivedAt: 1000, enqueueJson: '{"n":1}' },
      { callId: 'a', tindex: 12, tlabel: 22, arrivedAt: 1000, enqueueJson: '{"n":2}' },
    ]);
    const repo = new SipLegRepo(db);
    repo.save(leg('new', 1000));
    expect(repo.list().map((l) => l.callId)).toEqual(['m', 'z', 'a', 'new']);
    expect((db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'sip_legs'").get() as { sql: string }).sql).toContain('WITHOUT ROWID');
  });
});
