/**
 * 强拆 and 监听 of a call answered before the router restarted, through the real stack: a SIPp
 * trunk caller answered by a SIPp seat, the router killed (SIGKILL) and started again. The router
 * knew the call's dialog tags only from Kamailio's `answered` (in memory); Kamailio keeps them
 * with the call (htable `dlgtags`) and reports them in its resync (`held`), so the new router can
 * subscribe to the call's media (监听) and have the dialog module end it (强拆).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectForcedRelease } from '../support/force-release.js';
import { login } from '../support/server.js';
import { startSipStack, waitFor, type SeatPhone, type SipStack } from '../support/sip-stack.js';

describe('a call answered before a router restart', () => {
  let stack: SipStack;
  const phones: SeatPhone[] = [];
  beforeAll(async () => {
    // A long wrap-up: the seat is still in it when the test looks.
    stack = await startSipStack({ routing: (cfg) => ({ ...cfg, wrapUp: { ...cfg.wrapUp, seconds: 120, requireSummary: false } }) });
  }, 60_000);
  afterAll(async () => {
    for (const p of phones) await p.stop();
    await stack?.stop();
  });

  it('强拆 ends it after a kill -9 of the router (BYE to the caller and the seat, 班长强拆 on record) and 监听 gets past the tags', async () => {
    phones.push(await stack.seat('s06', { behaviour: 'answer', traceMessages: true }));
    const before = new Set(stack.calls().map((c) => c.id));
    const caller = stack.startCall({ scenario: 'caller-seat-hangup.xml', timeoutMs: 60_000 });
    const call = await waitFor(() => stack.calls().find((c) => !before.has(c.id) && c.state_kind === 'talking'), 'the call answered');

    await stack.killRouter();
    await stack.startRouter(); // resolves once the new router has resynced with Kamailio
    expect(stack.calls().find((c) => c.id === call.id)?.state_kind).toBe('talking');
    expect(caller.proc.exitCode).toBeNull();

    const sup = await login(stack.routerUrl, 'supervisor');
    const post = (what: 'listen' | 'force-release', note: string) =>
      fetch(`${stack.routerUrl}/api/supervisor/calls/${encodeURIComponent(call.id)}/${what}`, {
        method: 'POST',
        headers: { cookie: sup, 'content-type': 'application/json' },
        body: JSON.stringify({ note }),
      });

    // 监听: rtpengine takes the subscription with the tags Kamailio reported and Kamailio is asked
    // to INVITE the supervisor's listening phone; none is registered here (no page), so the answer
    // is 503 "not registered", not the 409 of a call whose tags the router does not know.
    // (tests/e2e/listen.test.ts hears such a call on a supervisor's page.)
    const listen = await post('listen', '重启后抽听');
    expect(await listen.json()).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', message: '监听电话未登记:请稍候再试或刷新页面' },
    });
    expect(listen.status).toBe(503);

    // 强拆: the dialog module ends the call on both sides.
    const res = await post('force-release', '重启后强拆');
    expect(await res.json()).toMatchObject({ ok: true, data: { callId: call.id, state: 'wrap-up' } });
    await expectForcedRelease(stack, call.id, 's06', caller.done);
    const db = new Database(stack.env.DB_PATH, { readonly: true });
    const audit = db
      .prepare("SELECT username, reason, after_json AS after FROM audit_log WHERE action = 'supervisor.call-force-release' AND target = ?")
      .all(`call:${call.id}`) as { username: string; reason: string; after: string }[];
    db.close();
    expect(audit.map((a) => ({ username: a.username, reason: a.reason, after: JSON.parse(a.after) as unknown }))).toEqual([
      { username: 'supervisor', reason: '重启后强拆', after: { state: 'wrap-up' } },
    ]);
  }, 90_000);
});
