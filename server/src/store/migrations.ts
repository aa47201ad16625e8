/**
 * The schema of the embedded SQLite store: one migration per version, applied in order by
 * `migrate` (store/db.ts), each inside one transaction. Append only: a released migration is
 * never edited. (SQL text, like seed data: this file is exempt from the ~500-line guideline.)
 */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
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
  {
    version: 9,
    name: '12345 hand-overs: outbox, hand-overs, tickets, webhook receipts, category map',
    sql: `
      -- The transactional outbox: a row is written in the same commit as the decision that sends it
      -- and delivered by features/handover/outbox-worker.ts, in id order per stream.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        stream TEXT NOT NULL,
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        body_json TEXT NOT NULL,
        ref_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'rejected')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL,
        last_status INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX outbox_pending ON outbox(stream, id) WHERE state = 'pending';
      CREATE INDEX outbox_ref ON outbox(ref_id, id);
      CREATE TABLE handovers (
        id TEXT PRIMARY KEY,
        direction TEXT NOT NULL CHECK (direction IN ('to-12345', 'from-12345')),
        call_id TEXT,
        seat_id TEXT,
        ticket TEXT,
        transfer_id TEXT,
        state TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        payload_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX handovers_call ON handovers(call_id);
      CREATE INDEX handovers_ticket ON handovers(ticket);
      CREATE TABLE webhook_receipts (
        delivery_id TEXT PRIMARY KEY,
        received_at INTEGER NOT NULL
      );
      CREATE TABLE category_map_12345 (
        category TEXT PRIMARY KEY,
        category_id TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- Onward referrals (转介): the office each kind of referral goes to, per centre, and the referrals.
      CREATE TABLE referral_offices (
        id TEXT PRIMARY KEY,
        centre_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        endpoint_url TEXT,
        email TEXT,
        due_days INTEGER,
        updated_at INTEGER NOT NULL,
        UNIQUE (centre_id, kind)
      );
      CREATE TABLE referrals (
        id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL UNIQUE,
        seat_id TEXT NOT NULL,
        centre_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        office_id TEXT,
        office_name TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('http', 'form')),
        state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
        outcome TEXT NOT NULL DEFAULT '',
        due_at INTEGER,
        payload_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX referrals_open_due ON referrals(state, due_at);
      `,
  },
  {
    version: 10,
    name: 'callback requests',
    sql: `
      -- One per call that overflowed to a call-back (回电请求), written in the same commit as the
      -- overflow. caller is the full number (never sent to a browser unmasked); status 'open' until
      -- the call-back worklist closes it.
      CREATE TABLE callback_requests (
        id INTEGER PRIMARY KEY,
        call_id TEXT NOT NULL UNIQUE,
        caller TEXT NOT NULL,
        category_id TEXT NOT NULL,
        home_centre_id TEXT NOT NULL,
        language TEXT,
        flags_json TEXT NOT NULL DEFAULT '[]',
        wait_s INTEGER NOT NULL,
        trigger TEXT NOT NULL,
        reason TEXT,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'open',
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX callback_requests_status ON callback_requests(status, created_at);
      `,
  },
  {
    version: 11,
    name: 'sessions: absolute lifetime and idle time; the durable sign-in brake',
    sql: `
      -- expires_at is now the session's absolute end (created_at + lifetime, never moved);
      -- last_seen_at the last time its user did something (the idle timeout counts from it).
      ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
      UPDATE sessions SET last_seen_at = created_at;
      CREATE INDEX sessions_expires ON sessions(expires_at);
      -- Failed sign-ins, per account-and-address pair (scope 'pair', key 'username|address') and per
      -- address (scope 'address', key the address). Attempts are counted here before the password
      -- is checked (features/auth/login-brake.ts); a success takes its own attempt back.
      CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('pair', 'address')),
        key TEXT NOT NULL,
        username TEXT,
        address TEXT NOT NULL,
        failures INTEGER NOT NULL,
        first_at INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        locked_until INTEGER NOT NULL DEFAULT 0,
        UNIQUE (scope, key)
      );
    `,
  },
  {
    version: 12,
    name: 'satisfaction ratings, visit tasks and survey webhook receipts',
    sql: `
      -- One rating per (call, source): 'phone' (the post-call survey), 'sms' (the external survey
      -- provider's webhook), 'visit' (asked on a 回访). score is the key pressed on the scale, null
      -- for not rated; satisfied 1/0 (null when not rated). seat, category and centre are copied
      -- from the call when the rating is stored, so figures never join against a changing profile.
      CREATE TABLE satisfaction_ratings (
        id INTEGER PRIMARY KEY,
        call_id TEXT NOT NULL,
        source TEXT NOT NULL,
        score INTEGER,
        satisfied INTEGER,
        comment TEXT,
        seat_id TEXT,
        category_id TEXT NOT NULL,
        centre_id TEXT NOT NULL,
        external_id TEXT,
        rated_at INTEGER NOT NULL,
        UNIQUE (call_id, source)
      );
      CREATE INDEX satisfaction_ratings_at ON satisfaction_ratings(rated_at);
      -- Every external survey delivery's id, kept so a replay is answered with the first result.
      CREATE TABLE survey_webhook_receipts (
        id TEXT PRIMARY KEY,
        body_sha256 TEXT NOT NULL,
        rating_id INTEGER,
        received_at INTEGER NOT NULL
      );
      -- 回访 tasks: one per (source, source_ref). caller is the full number (never sent to a browser).
      CREATE TABLE visit_tasks (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        source_ref TEXT NOT NULL,
        call_id TEXT,
        caller TEXT NOT NULL,
        category_id TEXT NOT NULL,
        centre_id TEXT NOT NULL,
        seat_id TEXT,
        assignee_seat_id TEXT,
        created_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'open',
        outcome TEXT,
        closed_at INTEGER,
        reached_at INTEGER,
        note TEXT,
        updated_at INTEGER NOT NULL,
        UNIQUE (source, source_ref)
      );
      CREATE INDEX visit_tasks_open ON visit_tasks(status, due_at);
      CREATE TABLE visit_attempts (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES visit_tasks(id),
        user_id INTEGER,
        outcome TEXT NOT NULL,
        score INTEGER,
        comment TEXT,
        follow_up TEXT,
        at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 13,
    name: 'quality inspection (质检): sample decisions, worklist, forms, scores and reviews',
    sql: `
      -- The random-sample decision, taken once per call when its summary is first seen (sampled
      -- 1/0, with the share in force then): a restart or a later form change never redraws it.
      CREATE TABLE qc_sample_decisions (
        call_id TEXT PRIMARY KEY,
        sampled INTEGER NOT NULL,
        percent REAL NOT NULL,
        decided_at INTEGER NOT NULL
      );
      -- The QC worklist: one row per call, with every reason it is there (sample, a dissatisfied
      -- rating, a complaint, a major-matter report). centre_id is the call's home centre,
      -- seat_centre_id the answering seat's centre then (the scope rules look at both).
      -- status: pending → scored → review → final.
      CREATE TABLE qc_items (
        call_id TEXT PRIMARY KEY,
        seat_id TEXT,
        seat_centre_id TEXT,
        centre_id TEXT NOT NULL,
        category_id TEXT NOT NULL,
        enqueued_at INTEGER NOT NULL,
        answered_at INTEGER,
        sample INTEGER NOT NULL DEFAULT 0,
        dissatisfied INTEGER NOT NULL DEFAULT 0,
        complaint INTEGER NOT NULL DEFAULT 0,
        major INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'pending',
        selected_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX qc_items_status ON qc_items(status, selected_at);
      CREATE INDEX qc_items_enqueued ON qc_items(enqueued_at);
      CREATE INDEX qc_items_seat ON qc_items(seat_id, selected_at);
      -- Every version of the scoring form (weights and maxima); the newest is the one in use.
      CREATE TABLE qc_forms (
        version INTEGER PRIMARY KEY,
        items_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by INTEGER
      );
      -- Scores: the inspection's and, when a review changed it, the review's. Each keeps the form's
      -- items as they were (label, weight, max) with the scores, so a later form never rewrites it.
      CREATE TABLE qc_scores (
        id INTEGER PRIMARY KEY,
        call_id TEXT NOT NULL REFERENCES qc_items(call_id),
        kind TEXT NOT NULL CHECK (kind IN ('inspection', 'review')),
        form_version INTEGER NOT NULL,
        items_json TEXT NOT NULL,
        total REAL NOT NULL,
        comment TEXT NOT NULL,
        user_id INTEGER,
        user_name TEXT NOT NULL,
        at INTEGER NOT NULL,
        UNIQUE (call_id, kind)
      );
      -- 申请复核 by the seat and the supervisor's decision (upheld / rescored).
      CREATE TABLE qc_reviews (
        call_id TEXT PRIMARY KEY REFERENCES qc_items(call_id),
        reason TEXT NOT NULL,
        requested_by INTEGER,
        requested_at INTEGER NOT NULL,
        decision TEXT,
        decision_comment TEXT,
        decided_by INTEGER,
        decided_by_name TEXT,
        decided_at INTEGER
      );
    `,
  },
  {
    version: 14,
    name: 'call recordings',
    sql: `
      -- One per answered call that is recorded. status: 'recording' (the call is on), 'stored'
      -- (file + sha256 written after hang-up), 'failed' (reason says why: the recorder died, no
      -- media), 'deleted' (retention). file is relative to RECORDING_DIR. pauses_json: the seat's
      -- pauses as [[fromMs, toMs|null]] from the answer.
      CREATE TABLE recordings (
        call_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        reason TEXT,
        file TEXT,
        format TEXT,
        size_bytes INTEGER,
        sha256 TEXT,
        duration_ms INTEGER,
        answered_at INTEGER NOT NULL,
        ended_at INTEGER,
        pauses_json TEXT NOT NULL DEFAULT '[]',
        stored_at INTEGER,
        deleted_at INTEGER
      );
      CREATE INDEX recordings_answered ON recordings(answered_at);
    `,
  },
  {
    version: 15,
    name: 'fewer pages per call decision: answered-call indexes partial, sip_legs without rowid',
    sql: `
      -- A call is inserted unanswered: these two indexes now get their entry at the answer only,
      -- so an enqueue commit writes two pages less. Every query on them bounds answered_at.
      DROP INDEX calls_caller_answered;
      CREATE INDEX calls_caller_answered ON calls(caller, answered_at) WHERE answered_at IS NOT NULL;
      DROP INDEX calls_seat_answered;
      CREATE INDEX calls_seat_answered ON calls(seat_id, answered_at) WHERE answered_at IS NOT NULL;
      -- One b-tree instead of a table and its primary-key index: a page less per insert and delete.
      -- seq keeps the arrival order of legs stored in the same millisecond (rowid did before).
      CREATE TABLE sip_legs_v13 (
        call_id TEXT PRIMARY KEY,
        tindex INTEGER NOT NULL,
        tlabel INTEGER NOT NULL,
        arrived_at INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        enqueue_json TEXT NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO sip_legs_v13 SELECT call_id, tindex, tlabel, arrived_at, rowid, enqueue_json FROM sip_legs;
      DROP TABLE sip_legs;
      ALTER TABLE sip_legs_v13 RENAME TO sip_legs;
    `,
  },
  {
    version: 16,
    name: 'visit dials (click-to-call from the 回访 page)',
    sql: `
      -- One row per click-to-call: the one-time token the browser dials (sip:visit-<token>@...),
      -- who dialled, the SIP Call-ID once Kamailio has it, and how the call went. The number is
      -- never here: Kamailio got it from the router with the token and the task holds it.
      CREATE TABLE visit_dials (
        token TEXT PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES visit_tasks(id),
        user_id INTEGER NOT NULL,
        seat_id TEXT NOT NULL,
        call_id TEXT,
        created_at INTEGER NOT NULL,
        answered_at INTEGER,
        ended_at INTEGER,
        result TEXT,
        sip_code INTEGER,
        talk_ms INTEGER
      );
      CREATE INDEX visit_dials_task ON visit_dials(task_id);
    `,
  },
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
