/**
 * The audit log (issue 11 item 6): who did what, when, from where, before → after, for sign-in,
 * sign-out, user changes, routing configuration, seat profiles, knowledge edits and alert
 * acknowledgements; a hash chain that `npm run audit:verify` checks, naming the first entry a
 * tampered database no longer fits.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryView, AuditListResponse, MajorAlert } from '../../server/src/contract/index.js';
import type { RoutingConfig } from '../../server/src/domain/policy.js';
import { DEMO_SEATS } from '../../server/src/seed/demo.js';
import { login } from '../support/server.js';
import { createAccount } from './support-accounts.js';
import { SUMMARY, answeredCall, api, data, fileAndFinish, harness } from './support-summaries.js';

const run = promisify(execFile);

/** `npm run audit:verify` on the test's database file. */
async function verifyCommand(dbPath: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run('npx', ['tsx', 'scripts/audit-verify.ts'], { env: { ...process.env, DB_PATH: dbPath } });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('the audit log', () => {
  const h = harness();
  let entries: AuditEntryView[] = [];
  const find = (action: string, pred: (e: AuditEntryView) => boolean = () => true) => entries.filter((e) => e.action === action && pred(e));

  beforeAll(async () => {
    h.cookies.admin = await login(h.srv.url, 'admin');
    // sign-in failure, success and sign-out
    const bad = await fetch(`${h.srv.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'seat07', password: 'wrong-password' }),
    });
    expect(bad.status).toBe(401);
    h.cookies.seat07 = await login(h.srv.url, 'seat07');
    expect((await api(h, 'POST', '/api/auth/logout', 'seat07')).status).toBe(200);
    // user changes
    await createAccount(h, { username: 'qa-lead', role: 'supervisor', centres: ['dongcheng'] });
    // routing configuration and a seat profile
    const cfg = data(await api<RoutingConfig>(h, 'GET', '/api/config/routing', 'admin'));
    expect((await api(h, 'PUT', '/api/config/routing', 'admin', { ...cfg, ringTimeoutS: 25 })).status).toBe(200);
    const s05 = DEMO_SEATS.find((s) => s.id === 's05')!;
    expect((await api(h, 'PUT', '/api/seats/s05', 'admin', { ...s05, skills: { ...s05.skills, labor: 2 } })).status).toBe(200);
    // a knowledge edit
    const created = await api<{ id: number }>(h, 'POST', '/api/knowledge', 'supervisor', {
      categoryId: 'labor',
      question: '试用期被辞退有补偿吗',
      answer: '视情形而定:用人单位须证明不符合录用条件。',
      legalBasis: '',
      keywords: ['试用期'],
    });
    expect(created.status).toBe(201);
    // an alert acknowledgement
    answeredCall(h, 's02', 'au-1', '13500000009');
    await fileAndFinish(h, 'au-1', 'seat02', 's02', { ...SUMMARY, riskFlag: true, riskNote: '集体讨薪' });
    const alert = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'supervisor'))[0]!;
    expect((await api(h, 'POST', `/api/alerts/${alert.id}/ack`, 'supervisor')).status).toBe(200);
    entries = data(await api<AuditListResponse>(h, 'GET', '/api/audit?limit=500', 'admin')).entries;
  });

  it('records sign-in failures, sign-ins and sign-outs with the address', () => {
    expect(find('auth.login-failed', (e) => e.target === 'username:seat07')[0]).toMatchObject({ userId: null, role: 'anonymous' });
    const ok = find('auth.login', (e) => e.username === 'seat07')[0]!;
    expect(ok).toMatchObject({ role: 'seat' });
    expect(ok.userId).toBeGreaterThan(0);
    expect(ok.address).toMatch(/127\.0\.0\.1/);
    expect(find('auth.logout', (e) => e.username === 'seat07')).toHaveLength(1);
  });

  it('records user changes with before → after and never a password hash', () => {
    const created = find('user.create', (e) => (e.after as { username: string }).username === 'qa-lead')[0]!;
    expect(created).toMatchObject({ username: 'admin', role: 'admin', after: { role: 'supervisor', centres: ['dongcheng'] } });
    expect(find('user.password-change', (e) => e.username === 'qa-lead')).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toMatch(/scrypt\$/);
  });

  it('records the routing configuration and seat profile changes with before → after', () => {
    const cfg = find('routing-config.update')[0]!;
    expect((cfg.before as RoutingConfig).ringTimeoutS).toBe(20);
    expect((cfg.after as RoutingConfig).ringTimeoutS).toBe(25);
    const seat = find('seat.profile', (e) => e.target === 'seat:s05')[0]!;
    expect(seat.username).toBe('admin');
    expect((seat.before as { skills: Record<string, number> }).skills).not.toHaveProperty('labor');
    expect((seat.after as { skills: Record<string, number> }).skills.labor).toBe(2);
  });

  it('records knowledge edits and alert acknowledgements by user id', () => {
    expect(find('knowledge.create')[0]).toMatchObject({ username: 'supervisor', after: { question: '试用期被辞退有补偿吗' } });
    const ack = find('alert.acknowledge')[0]!;
    expect(ack.username).toBe('supervisor');
    expect(ack.userId).toBeGreaterThan(0);
    const row = h.srv.db.prepare('SELECT acknowledged_by_user_id AS id FROM major_alerts').get() as { id: number };
    expect(row.id).toBe(ack.userId);
  });

  it('filters by action and user', async () => {
    const byAction = data(await api<AuditListResponse>(h, 'GET', '/api/audit?action=auth.login', 'admin')).entries;
    expect(byAction.length).toBeGreaterThan(0);
    expect(byAction.every((e) => e.action === 'auth.login')).toBe(true);
    const adminId = find('auth.login', (e) => e.username === 'admin')[0]!.userId!;
    const byUser = data(await api<AuditListResponse>(h, 'GET', `/api/audit?userId=${adminId}`, 'admin')).entries;
    expect(byUser.length).toBeGreaterThan(0);
    expect(byUser.every((e) => e.userId === adminId)).toBe(true);
  });

  it('is for administrators only', async () => {
    expect((await api(h, 'GET', '/api/audit', 'supervisor')).status).toBe(403);
    expect((await api(h, 'GET', '/api/audit', 'seat01')).status).toBe(403);
  });

  it('refuses to change or delete an entry in the database', () => {
    expect(() => h.srv.db.prepare("UPDATE audit_log SET username = 'x' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => h.srv.db.prepare('DELETE FROM audit_log WHERE id = 1').run()).toThrow(/append-only/);
  });

  it('verifies: `npm run audit:verify` finds the chain whole', async () => {
    const r = await verifyCommand(h.srv.dbPath);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(new RegExp(`audit log OK: ${entries.length} entries`));
  });

  it('when a row is tampered with (the guard dropped), names the first entry that does not fit', async () => {
    const target = find('routing-config.update')[0]!;
    h.srv.db.exec('DROP TRIGGER audit_log_no_update');
    h.srv.db.prepare("UPDATE audit_log SET username = 'someone-else' WHERE id = ?").run(target.id);
    const r = await verifyCommand(h.srv.dbPath);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`BROKEN at entry ${target.id}`);
    expect(r.out).toMatch(/changed after it was written/);

    // Put back, the chain fits again: the check is about the content, not about the row being touched.
    h.srv.db.prepare('UPDATE audit_log SET username = ? WHERE id = ?').run(target.username, target.id);
    expect((await verifyCommand(h.srv.dbPath)).code).toBe(0);
  });

  it('when a row is deleted, names the entry after the gap', async () => {
    const last = find('alert.acknowledge')[0]!;
    h.srv.db.exec('DROP TRIGGER audit_log_no_delete');
    h.srv.db.prepare('DELETE FROM audit_log WHERE id = ?').run(last.id - 1);
    const verdict = data(await api<{ ok: boolean; firstBadId: number }>(h, 'GET', '/api/audit/verify', 'admin'));
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBadId).toBe(last.id);
  });
});
