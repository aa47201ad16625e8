import type { Migration } from './migration.js';

/** Migrations 1 to 8: the initial schema, SIP legs, summaries and alerts, the knowledge base, transfers, accounts and the audit log, report facts. */
export const MIGRATIONS_001_008: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE seats (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        staff_no TEXT NOT NULL UNIQUE,
        centre_id TEXT NOT NULL,
        skills_json TEXT NOT NULL,
        languages_json TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
      );
      CREATE TABLE seat_states (
        seat_id TEXT PRIMARY KEY REFERENCES seats(id),
        state_json TEXT NOT NULL,
        registered INTEGER NOT NULL,
        missed_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE seat_events (
        id INTEGER PRIMARY KEY,
        seat_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        reason TEXT,
        call_id TEXT
      );
      CREATE INDEX seat_events_seat_at ON seat_events(seat_id, at);
      CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        caller TEXT NOT NULL,
        dialed TEXT NOT NULL,
        trunk TEXT,
        category_id TEXT NOT NULL,
        home_centre_id TEXT NOT NULL,
        priority INTEGER NOT NULL,
        enqueued_at INTEGER NOT NULL,
        state_kind TEXT NOT NULL,
        seat_id TEXT,
        answered_at INTEGER,
        ended_at INTEGER,
        snapshot_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX calls_active ON calls(state_kind) WHERE state_kind IN ('queued', 'ringing', 'talking', 'wrap-up');
      CREATE INDEX calls_caller_answered ON calls(caller, answered_at);
      CREATE INDEX calls_enqueued ON calls(enqueued_at);
      CREATE TABLE call_events (
        id INTEGER PRIMARY KEY,
        call_id TEXT NOT NULL REFERENCES calls(id),
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        data_json TEXT NOT NULL
      );
      CREATE INDEX call_events_call ON call_events(call_id, id);
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('seat', 'supervisor', 'manager', 'admin')),
        display_name TEXT NOT NULL,
        seat_id TEXT REFERENCES seats(id),
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_user ON sessions(user_id);
    `,
  },
  {
    version: 2,
    name: 'sip legs: Kamailio transaction ids of calls held in queue',
    sql: `
      CREATE TABLE sip_legs (
        call_id TEXT PRIMARY KEY,
        tindex INTEGER NOT NULL,
        tlabel INTEGER NOT NULL,
        arrived_at INTEGER NOT NULL,
        enqueue_json TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'call summaries, drafts and major-matter alerts',
    sql: `
      -- One filed summary per call (json = the CallSummaryInput as last amended); every
      -- version, the first included, is kept in summary_revisions.
      CREATE TABLE call_summaries (
        call_id TEXT PRIMARY KEY REFERENCES calls(id),
        seat_id TEXT NOT NULL,
        json TEXT NOT NULL,
        revision INTEGER NOT NULL,
        filed_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE summary_revisions (
        call_id TEXT NOT NULL REFERENCES call_summaries(call_id),
        revision INTEGER NOT NULL,
        json TEXT NOT NULL,
        seat_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (call_id, revision)
      );
      -- What a seat has typed so far, per (call, seat); gone once the summary is filed.
      CREATE TABLE summary_drafts (
        call_id TEXT NOT NULL REFERENCES calls(id),
        seat_id TEXT NOT NULL,
        json TEXT NOT NULL,
        saved_at INTEGER NOT NULL,
        PRIMARY KEY (call_id, seat_id)
      );
      -- 重大事项上报: one alert per call; a second report updates it.
      CREATE TABLE major_alerts (
        id INTEGER PRIMARY KEY,
        call_id TEXT NOT NULL UNIQUE REFERENCES calls(id),
        seat_id TEXT NOT NULL,
        note TEXT NOT NULL,
        raised_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        acknowledged_at INTEGER,
        acknowledged_by TEXT
      );
      CREATE INDEX major_alerts_raised ON major_alerts(raised_at);
      -- A caller's earlier calls (history) and a seat's answered calls by day (my calls).
      CREATE INDEX calls_caller_enqueued ON calls(caller, enqueued_at);
      CREATE INDEX calls_seat_answered ON calls(seat_id, answered_at);
    `,
  },
  {
    version: 4,
    name: 'knowledge base with FTS5 trigram search',
    sql: `
      CREATE TABLE knowledge_entries (
        id INTEGER PRIMARY KEY,
        category_id TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        legal_basis TEXT NOT NULL DEFAULT '',
        keywords TEXT NOT NULL DEFAULT '[]',
        version INTEGER NOT NULL DEFAULT 1,
        updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL,
        retired_at INTEGER
      );
      CREATE INDEX knowledge_entries_live_category ON knowledge_entries(category_id, id) WHERE retired_at IS NULL;
      -- The search index holds live entries only (rowid = entry id), keywords as space-separated
      -- text; the triggers keep it in step with every insert, edit and retirement.
      CREATE VIRTUAL TABLE knowledge_fts USING fts5(question, answer, legal_basis, keywords, tokenize = 'trigram');
      CREATE TRIGGER knowledge_entries_ai AFTER INSERT ON knowledge_entries WHEN new.retired_at IS NULL BEGIN
        INSERT INTO knowledge_fts (rowid, question, answer, legal_basis, keywords)
        VALUES (new.id, new.question, new.answer, new.legal_basis,
                (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(new.keywords)));
      END;
      CREATE TRIGGER knowledge_entries_au AFTER UPDATE ON knowledge_entries BEGIN
        DELETE FROM knowledge_fts WHERE rowid = old.id;
        INSERT INTO knowledge_fts (rowid, question, answer, legal_basis, keywords)
        SELECT new.id, new.question, new.answer, new.legal_basis,
               (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(new.keywords))
        WHERE new.retired_at IS NULL;
      END;
      CREATE TRIGGER knowledge_entries_ad AFTER DELETE ON knowledge_entries BEGIN
        DELETE FROM knowledge_fts WHERE rowid = old.id;
      END;
    `,
  },
  {
    version: 5,
    name: 'transfers',
    sql: `
      CREATE TABLE transfers (
        id TEXT PRIMARY KEY,
        token TEXT NOT NULL UNIQUE,
        call_id TEXT NOT NULL,
        from_seat_id TEXT NOT NULL,
        mode TEXT NOT NULL,
        target_json TEXT NOT NULL,
        target_seat_id TEXT,
        state TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        carry_json TEXT NOT NULL,
        new_call_id TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX transfers_call ON transfers(call_id);
    `,
  },
  {
    version: 6,
    name: 'knowledge search: 1-2 character grams and pinyin',
    sql: `
      -- One row per live knowledge entry (rowid = entry id), written by KnowledgeRepository (the
      -- tokens are computed in TypeScript: knowledge-index.ts): grams = every 1- and 2-character
      -- stretch of the entry as an ASCII token; py = pinyin and initials of the question and
      -- keywords from each syllable on; pykw = each keyword's pinyin and initials whole.
      -- Contentless: only the index is stored. An existing database's entries are indexed at the
      -- next start (KnowledgeRepository.ensureSearchIndex, versioned in settings).
      CREATE VIRTUAL TABLE knowledge_terms USING fts5(grams, py, pykw, tokenize = 'ascii', content = '', contentless_delete = 1);
    `,
  },
  {
    version: 7,
    name: 'accounts: centres in scope, password lifecycle; the hash-chained audit log',
    sql: `
      -- centres_json: the centres a supervisor or manager sees (JSON array); NULL = every centre.
      -- must_change_password: set by an administrator's reset (one-time password).
      ALTER TABLE users ADD COLUMN centres_json TEXT;
      ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE users ADD COLUMN password_changed_at INTEGER;
      -- Append-only: each row's hash = SHA-256(prev_hash + canonical entry); see features/audit.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        user_id INTEGER,
        username TEXT NOT NULL,
        role TEXT NOT NULL,
        address TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        before_json TEXT,
        after_json TEXT,
        reason TEXT NOT NULL DEFAULT '',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log(at);
      CREATE INDEX audit_log_action ON audit_log(action, at);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only');
      END;
      -- Who acknowledged an alert, as a user (acknowledged_by keeps the display name shown).
      ALTER TABLE major_alerts ADD COLUMN acknowledged_by_user_id INTEGER;
      `,
  },
  {
    version: 8,
    name: 'reports: the facts of finished calls',
    sql: `
      -- One row per finished call, derived from its event log by domain/stats/call-fact.ts and
      -- written by features/reports (catching up from the calls table): what the reports read.
      -- missed_by: seats that missed an offer, comma-separated, one entry per miss; disposition
      -- and major: the filed summary's, kept in step by the catch-up.
      CREATE TABLE call_facts (
        call_id TEXT PRIMARY KEY,
        enqueued_at INTEGER NOT NULL,
        centre_id TEXT NOT NULL,
        category_id TEXT NOT NULL,
        seat_id TEXT,
        answered_at INTEGER,
        ended_at INTEGER,
        result TEXT NOT NULL,
        wait_ms INTEGER NOT NULL,
        talk_ms INTEGER NOT NULL,
        hold_ms INTEGER NOT NULL,
        holds INTEGER NOT NULL,
        wrap_ms INTEGER,
        offers INTEGER NOT NULL,
        overflow_trigger TEXT,
        overflow_target TEXT,
        hung_up_by TEXT,
        missed_by TEXT NOT NULL DEFAULT '',
        transferred_from TEXT,
        disposition TEXT,
        major INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX call_facts_enqueued ON call_facts(enqueued_at, call_id);
      -- The catch-up copies filed and amended summaries' disposition into the facts.
      CREATE INDEX call_summaries_updated ON call_summaries(updated_at);
    `,
  },
];
