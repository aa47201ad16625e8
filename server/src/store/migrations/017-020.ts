import type { Migration } from './migration.js';

/** Migrations 17 to 20: outbound calls as call records, the storage probe, the 话单 row on report facts, consultation-leg recordings. */
export const MIGRATIONS_017_020: Migration[] = [
  {
    version: 17,
    name: 'outbound calls are call records: a stable id, when Kamailio took the INVITE, who hung up',
    sql: `
      -- visit_dials is the outbound call record (话单, direction outbound): every outbound call
      -- a seat places goes through a token (kamailio-5-outbound.cfg.tmpl). id: the record's
      -- number in the history (an INTEGER PRIMARY KEY, which VACUUM keeps); started_at: Kamailio
      -- took the INVITE (outbound-start); hung_up_by: seat | callee for an answered call.
      CREATE TABLE visit_dials_v17 (
        id INTEGER PRIMARY KEY,
        token TEXT NOT NULL UNIQUE,
        task_id INTEGER NOT NULL REFERENCES visit_tasks(id),
        user_id INTEGER NOT NULL,
        seat_id TEXT NOT NULL,
        call_id TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        answered_at INTEGER,
        ended_at INTEGER,
        result TEXT,
        sip_code INTEGER,
        talk_ms INTEGER,
        hung_up_by TEXT
      );
      INSERT INTO visit_dials_v17 (token, task_id, user_id, seat_id, call_id, created_at, started_at, answered_at, ended_at,
          result, sip_code, talk_ms)
        SELECT token, task_id, user_id, seat_id, call_id, created_at, CASE WHEN call_id IS NULL THEN NULL ELSE created_at END,
          answered_at, ended_at, result, sip_code, talk_ms
        FROM visit_dials ORDER BY created_at, rowid;
      DROP TABLE visit_dials;
      ALTER TABLE visit_dials_v17 RENAME TO visit_dials;
      CREATE INDEX visit_dials_task ON visit_dials(task_id);
      CREATE INDEX visit_dials_call ON visit_dials(call_id) WHERE call_id IS NOT NULL;
      CREATE INDEX visit_dials_started ON visit_dials(started_at) WHERE started_at IS NOT NULL;
      CREATE INDEX visit_dials_seat_started ON visit_dials(seat_id, started_at) WHERE started_at IS NOT NULL;
    `,
  },
  {
    version: 18,
    name: 'storage probe (the small write that tells when a full disk has room again)',
    sql: `
      CREATE TABLE storage_probe (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        pad BLOB NOT NULL
      );
    `,
  },
  {
    version: 19,
    name: 'reports: each fact carries its 话单 row (caller, summary fields, rating, QC score), kept by triggers',
    sql: `
      -- What a 话单 row needs beyond the call's own fact, so the export reads call_facts alone
      -- (one scan in arrival order, no look-up per row). Defined once, by this view; the triggers
      -- below copy it into the fact in the transaction that changes it: the fact's own insert,
      -- a summary filed or amended, a rating, a QC score or review. rating: the score of the
      -- call's first phone or SMS rating (the one 满意率 counts); qc_score: the review's total
      -- when a review changed it, else the inspection's.
      ALTER TABLE call_facts ADD COLUMN caller TEXT;
      ALTER TABLE call_facts ADD COLUMN topic TEXT;
      ALTER TABLE call_facts ADD COLUMN question TEXT;
      ALTER TABLE call_facts ADD COLUMN answer TEXT;
      ALTER TABLE call_facts ADD COLUMN referral TEXT;
      ALTER TABLE call_facts ADD COLUMN risk_note TEXT;
      ALTER TABLE call_facts ADD COLUMN confidential INTEGER;
      ALTER TABLE call_facts ADD COLUMN rating INTEGER;
      ALTER TABLE call_facts ADD COLUMN qc_score REAL;
      CREATE VIEW call_fact_extras AS
        SELECT c.id AS call_id, c.caller AS caller,
          json_extract(s.json, '$.topic') AS topic,
          json_extract(s.json, '$.question') AS question,
          json_extract(s.json, '$.answer') AS answer,
          json_extract(s.json, '$.referral') AS referral,
          json_extract(s.json, '$.riskNote') AS risk_note,
          IFNULL(json_extract(s.json, '$.confidential') = 1, 0) AS confidential,
          (SELECT r.score FROM satisfaction_ratings r
            WHERE r.call_id = c.id AND r.source IN ('phone', 'sms') AND r.score IS NOT NULL ORDER BY r.rated_at, r.id LIMIT 1) AS rating,
          COALESCE((SELECT q.total FROM qc_scores q WHERE q.call_id = c.id AND q.kind = 'review'),
                   (SELECT q.total FROM qc_scores q WHERE q.call_id = c.id AND q.kind = 'inspection')) AS qc_score
        FROM calls c LEFT JOIN call_summaries s ON s.call_id = c.id;
      CREATE TRIGGER call_facts_extras_fact AFTER INSERT ON call_facts BEGIN
        UPDATE call_facts SET (caller, topic, question, answer, referral, risk_note, confidential, rating, qc_score) =
          (SELECT caller, topic, question, answer, referral, risk_note, confidential, rating, qc_score FROM call_fact_extras WHERE call_id = NEW.call_id)
          WHERE call_id = NEW.call_id;
      END;
      CREATE TRIGGER call_facts_extras_summary_filed AFTER INSERT ON call_summaries BEGIN
        UPDATE call_facts SET (disposition, major, topic, question, answer, referral, risk_note, confidential) =
          (SELECT json_extract(NEW.json, '$.disposition'), IFNULL(json_extract(NEW.json, '$.riskFlag') = 1, 0),
             topic, question, answer, referral, risk_note, confidential FROM call_fact_extras WHERE call_id = NEW.call_id)
          WHERE call_id = NEW.call_id;
      END;
      CREATE TRIGGER call_facts_extras_summary_amended AFTER UPDATE OF json ON call_summaries BEGIN
        UPDATE call_facts SET (disposition, major, topic, question, answer, referral, risk_note, confidential) =
          (SELECT json_extract(NEW.json, '$.disposition'), IFNULL(json_extract(NEW.json, '$.riskFlag') = 1, 0),
             topic, question, answer, referral, risk_note, confidential FROM call_fact_extras WHERE call_id = NEW.call_id)
          WHERE call_id = NEW.call_id;
      END;
      CREATE TRIGGER call_facts_extras_rated AFTER INSERT ON satisfaction_ratings BEGIN
        UPDATE call_facts SET rating = (SELECT rating FROM call_fact_extras WHERE call_id = NEW.call_id) WHERE call_id = NEW.call_id;
      END;
      CREATE TRIGGER call_facts_extras_rerated AFTER UPDATE ON satisfaction_ratings BEGIN
        UPDATE call_facts SET rating = (SELECT rating FROM call_fact_extras WHERE call_id = NEW.call_id) WHERE call_id = NEW.call_id;
      END;
      CREATE TRIGGER call_facts_extras_scored AFTER INSERT ON qc_scores BEGIN
        UPDATE call_facts SET qc_score = (SELECT qc_score FROM call_fact_extras WHERE call_id = NEW.call_id) WHERE call_id = NEW.call_id;
      END;
      CREATE TRIGGER call_facts_extras_rescored AFTER UPDATE ON qc_scores BEGIN
        UPDATE call_facts SET qc_score = (SELECT qc_score FROM call_fact_extras WHERE call_id = NEW.call_id) WHERE call_id = NEW.call_id;
      END;
      -- The facts written before this version.
      UPDATE call_facts SET (caller, topic, question, answer, referral, risk_note, confidential, rating, qc_score) =
        (SELECT caller, topic, question, answer, referral, risk_note, confidential, rating, qc_score FROM call_fact_extras x
          WHERE x.call_id = call_facts.call_id);
    `,
  },
  {
    version: 20,
    name: 'recordings: the consultation legs recorded with a call',
    sql: `
      -- The other SIP calls recorded with this one and mixed into its file (a seat's consultation
      -- of another seat or of 12345): [{callId, seatId, to, fromMs, toMs|null}], ms from the answer.
      ALTER TABLE recordings ADD COLUMN legs_json TEXT NOT NULL DEFAULT '[]';
      -- The recordings under way (a BYE of a call the engine does not hold looks its leg up here).
      CREATE INDEX recordings_open ON recordings(status) WHERE status = 'recording';
    `,
  },
];
