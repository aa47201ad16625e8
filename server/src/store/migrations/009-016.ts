import type { Migration } from './migration.js';

/** Migrations 9 to 16: 12345 hand-overs, callback requests, sessions and the sign-in brake, satisfaction and visits, quality inspection, recordings, leaner call indexes, visit dials. */
export const MIGRATIONS_009_016: Migration[] = [
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
];
