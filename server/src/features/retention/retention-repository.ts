import type { Db } from '../../store/db.js';

/** The value a caller's number becomes once its retention period is over. */
export const ANONYMISED = 'anon';

/** What one retention run changes (or would change), table by table. */
export interface RetentionCounts {
  /** Ended calls whose caller number is anonymised (the call row, its snapshot, its transfers). */
  calls: number;
  transfers: number;
  /** 12345 hand-overs and referrals: the caller's number in the stored work order or ticket. */
  handovers: number;
  referrals: number;
  /** Delivered outbox messages: the number inside the message sent. */
  outbox: number;
  /** Closed 回电请求 and 回访 tasks. */
  callbacks: number;
  visits: number;
  /** Sessions past their end, sign-in failures and 12345 webhook receipts past their use. */
  sessions: number;
  loginFailures: number;
  webhookReceipts: number;
}

export interface RetentionCutoffs {
  /** Caller numbers of calls ended before this are anonymised. */
  callerBefore: number;
  /** Sessions that ended before this are deleted. */
  sessionsBefore: number;
  /** Sign-in failures and webhook receipts older than this are deleted. */
  recordsBefore: number;
}

/**
 * The SQL of the retention policy: each statement has a count (`plan`) and an update or delete
 * (`apply`) over the same rows, so what a dry run shows is what a run does.
 */
export class RetentionRepository {
  constructor(private readonly db: Db) {}

  private readonly parts: { key: keyof RetentionCounts; count: string; apply: string; cutoff: keyof RetentionCutoffs }[] = [
    {
      key: 'calls',
      cutoff: 'callerBefore',
      count: `SELECT COUNT(*) AS n FROM calls WHERE ended_at IS NOT NULL AND ended_at < @t AND caller != '${ANONYMISED}'`,
      apply: `UPDATE calls SET caller = '${ANONYMISED}', snapshot_json = json_set(snapshot_json, '$.caller', '${ANONYMISED}')
              WHERE ended_at IS NOT NULL AND ended_at < @t AND caller != '${ANONYMISED}'`,
    },
    {
      key: 'transfers',
      cutoff: 'callerBefore',
      count: `SELECT COUNT(*) AS n FROM transfers WHERE updated_at < @t AND json_extract(carry_json, '$.caller') != '${ANONYMISED}'`,
      apply: `UPDATE transfers SET carry_json = json_set(carry_json, '$.caller', '${ANONYMISED}')
              WHERE updated_at < @t AND json_extract(carry_json, '$.caller') != '${ANONYMISED}'`,
    },
    {
      key: 'handovers',
      cutoff: 'callerBefore',
      count: `SELECT COUNT(*) AS n FROM handovers WHERE updated_at < @t
              AND (json_extract(payload_json, '$.caller.number') IS NOT NULL OR json_extract(payload_json, '$.citizenPhone') IS NOT NULL)`,
      apply: `UPDATE handovers SET payload_json = json_set(payload_json, '$.citizenPhone', NULL, '$.caller.number', NULL)
              WHERE updated_at < @t
              AND (json_extract(payload_json, '$.caller.number') IS NOT NULL OR json_extract(payload_json, '$.citizenPhone') IS NOT NULL)`,
    },
    {
      key: 'referrals',
      cutoff: 'callerBefore',
      count: `SELECT COUNT(*) AS n FROM referrals WHERE state = 'closed' AND updated_at < @t
              AND json_extract(payload_json, '$.caller') IS NOT NULL AND json_extract(payload_json, '$.caller') != '${ANONYMISED}'`,
      apply: `UPDATE referrals SET payload_json = json_set(payload_json, '$.caller', '${ANONYMISED}')
              WHERE state = 'closed' AND updated_at < @t
              AND json_extract(payload_json, '$.caller') IS NOT NULL AND json_extract(payload_json, '$.caller') != '${ANONYMISED}'`,
    },
    {
      key: 'outbox',
      cutoff: 'callerBefore',
      count: `SELECT COUNT(*) AS n FROM outbox WHERE state != 'pending' AND created_at < @t
              AND (json_extract(body_json, '$.caller.number') IS NOT NULL
                   OR (json_type(body_json, '$.caller') = 'text' AND json_extract(body_json, '$.caller') != '${ANONYMISED}'))`,
      apply: `UPDATE outbox SET body_json = CASE json_type(body_json, '$.caller')
                WHEN 'object' THEN json_set(body_json, '$.caller.number', NULL)
                ELSE json_set(body_json, '$.caller', '${ANONYMISED}') END
              WHERE state != 'pending' AND created_at < @t
              AND (json_extract(body_json, '$.caller.number') IS NOT NULL
                   OR (json_type(body_json, '$.caller') = 'text' AND json_extract(body_json, '$.caller') != '${ANONYMISED}'))`,
    },
    {
      key: 'callbacks',
      cutoff: 'callerBefore',
      count: `SELECT COUNT(*) AS n FROM callback_requests WHERE status != 'open' AND updated_at < @t AND caller != '${ANONYMISED}'`,
      apply: `UPDATE callback_requests SET caller = '${ANONYMISED}' WHERE status != 'open' AND updated_at < @t AND caller != '${ANONYMISED}'`,
    },
    {
      key: 'visits',
      cutoff: 'callerBefore',
      count: `SELECT COUNT(*) AS n FROM visit_tasks WHERE status != 'open' AND updated_at < @t AND caller != '${ANONYMISED}'`,
      apply: `UPDATE visit_tasks SET caller = '${ANONYMISED}' WHERE status != 'open' AND updated_at < @t AND caller != '${ANONYMISED}'`,
    },
    {
      key: 'sessions',
      cutoff: 'sessionsBefore',
      count: 'SELECT COUNT(*) AS n FROM sessions WHERE expires_at < @t',
      apply: 'DELETE FROM sessions WHERE expires_at < @t',
    },
    {
      key: 'loginFailures',
      cutoff: 'recordsBefore',
      // Never one still locking an account or address (locked_until is in the future then).
      count: 'SELECT COUNT(*) AS n FROM login_failures WHERE last_at < @t AND locked_until < @t',
      apply: 'DELETE FROM login_failures WHERE last_at < @t AND locked_until < @t',
    },
    {
      key: 'webhookReceipts',
      cutoff: 'recordsBefore',
      count: 'SELECT COUNT(*) AS n FROM webhook_receipts WHERE received_at < @t',
      apply: 'DELETE FROM webhook_receipts WHERE received_at < @t',
    },
  ];

  /** How many rows each part would change. */
  plan(c: RetentionCutoffs): RetentionCounts {
    return this.run(c, 'count');
  }

  /** Changes them (call inside a transaction); the counts changed. */
  apply(c: RetentionCutoffs): RetentionCounts {
    return this.run(c, 'apply');
  }

  private run(c: RetentionCutoffs, what: 'count' | 'apply'): RetentionCounts {
    const out = {} as RetentionCounts;
    for (const p of this.parts) {
      const t = c[p.cutoff];
      out[p.key] =
        what === 'count' ? (this.db.prepare(p.count).get({ t }) as { n: number }).n : this.db.prepare(p.apply).run({ t }).changes;
    }
    return out;
  }
}
