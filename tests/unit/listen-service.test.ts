/**
 * 监听's rules (server/src/features/supervisor/listen-service.ts) with a fake telephony port:
 * scope, a talking call only, the audit rows, one leg per supervisor, only one's own leg stopped.
 */
import { describe, expect, it } from 'vitest';
import type { Call } from '../../server/src/domain/call.js';
import type { ListenChange } from '../../server/src/contract/index.js';
import type { AuditInput } from '../../server/src/features/audit/audit-service.js';
import type { ScopedCall, ScopedUser } from '../../server/src/features/users/scope-service.js';
import { ListenService, type ListenLegInfo, type ListenPort } from '../../server/src/features/supervisor/listen-service.js';

const talking = {
  id: 'c1',
  homeCentreId: 'city',
  state: { kind: 'talking', seatId: 's05' },
  events: [{ type: 'answered', seatId: 's05' }],
} as unknown as Call;
const waiting = { id: 'c2', homeCentreId: 'city', state: { kind: 'queued' }, events: [] } as unknown as Call;
const sup = { id: 3, username: 'supervisor', role: 'supervisor', centreIds: null } as never;
const other = { id: 4, username: 'supervisor-2', role: 'supervisor', centreIds: null } as never;
const county = { id: 5, username: 'supervisor-dc', role: 'supervisor', centreIds: ['dc'] } as never;

function setup() {
  const audit: AuditInput[] = [];
  const legs: ListenLegInfo[] = [];
  const stopped: string[] = [];
  let n = 0;
  const port: ListenPort = {
    start: (callId, aor) => {
      const leg = { lid: `listen-${++n}`, callId, aor };
      legs.push(leg);
      return Promise.resolve(leg);
    },
    stop: (lid) => {
      stopped.push(lid);
      const i = legs.findIndex((l) => l.lid === lid);
      if (i >= 0) legs.splice(i, 1);
      return i >= 0;
    },
    active: () => [...legs],
  };
  const told: { userId: number; change: ListenChange }[] = [];
  const service = new ListenService({
    engine: { getCall: (id: string): Call | undefined => (id === 'c1' ? talking : id === 'c2' ? waiting : undefined) },
    // user 5 (the county supervisor) sees only 东城区 (dc); the others every centre
    scope: { seesCall: (u: ScopedUser, c: ScopedCall) => u.id !== 5 || c.homeCentreId === 'dc' },
    audit: (e) => audit.push(e),
    port,
    notify: (userId, change) => told.push({ userId, change }),
  });
  /** The telephony side ends a leg by itself (the call ended, the page holding the phone closed). */
  const portEnds = (lid: string, why: 'call-ended' | 'phone-gone') => {
    const i = legs.findIndex((l) => l.lid === lid);
    const [leg] = legs.splice(i, 1);
    service.ended(leg!, why);
  };
  return { service, audit, stopped, told, portEnds };
}

describe('ListenService', () => {
  it("starts a leg on the supervisor's own phone and audits it with the reason", async () => {
    const { service, audit } = setup();
    expect(await service.start(sup, 'c1', '质检抽听')).toEqual({ lid: 'listen-1', callId: 'c1', seatId: 's05' });
    expect(audit).toEqual([
      { actor: sup, action: 'supervisor.call-listen', target: 'call:c1', after: { seatId: 's05', leg: 'listen-1' }, reason: '质检抽听' },
    ]);
    expect(service.mine(sup)).toEqual({ lid: 'listen-1', callId: 'c1', seatId: 's05' });
    expect(service.mine(other)).toBeNull();
  });

  it("refuses another centre's call, a call not talking, an unknown call, and no telephony", async () => {
    const { service, audit } = setup();
    await expect(service.start(county, 'c1', 'x')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.start(sup, 'c2', 'x')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(service.start(sup, 'nope', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const none = new ListenService({
      engine: { getCall: (): Call => talking },
      scope: { seesCall: () => true },
      audit: () => undefined,
      port: null,
    });
    await expect(none.start(sup, 'c1', 'x')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(audit).toEqual([]);
  });

  it("a second 监听 ends the first; only one's own leg can be stopped; stopping is audited", async () => {
    const { service, audit, stopped } = setup();
    await service.start(sup, 'c1', 'a');
    await service.start(sup, 'c1', 'b');
    expect(stopped).toEqual(['listen-1']);
    expect(audit.map((a) => a.action)).toEqual(['supervisor.call-listen', 'supervisor.call-listen-stop', 'supervisor.call-listen']);
    expect(() => service.stop(other, 'listen-2')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(service.stop(sup, 'listen-2')).toEqual({ stopped: true });
    expect(service.stop(sup, 'listen-2')).toEqual({ stopped: false });
    expect(audit.at(-1)).toMatchObject({
      action: 'supervisor.call-listen-stop',
      target: 'call:c1',
      after: { leg: 'listen-2', why: 'stopped' },
    });
  });

  it('every page of the supervisor is told of each start and end; an end the telephony side reports is audited once with why', async () => {
    const { service, audit, told, portEnds } = setup();
    await service.start(sup, 'c1', '抽听');
    expect(told).toEqual([{ userId: 3, change: { leg: { lid: 'listen-1', callId: 'c1', seatId: 's05' }, ended: null } }]);
    // The page holding the phone was reloaded: Kamailio reports its WebSocket gone.
    portEnds('listen-1', 'phone-gone');
    expect(told.at(-1)).toEqual({ userId: 3, change: { leg: null, ended: { lid: 'listen-1', callId: 'c1', why: 'phone-gone' } } });
    expect(audit.at(-1)).toMatchObject({
      actor: sup,
      action: 'supervisor.call-listen-stop',
      target: 'call:c1',
      after: { leg: 'listen-1', why: 'phone-gone' },
    });
    expect(service.mine(sup)).toBeNull();
    // Reported again (or after 停止监听 already ended it): nothing more.
    service.ended({ lid: 'listen-1', callId: 'c1', aor: 'listen-u3' }, 'call-ended');
    expect(audit.filter((a) => a.action === 'supervisor.call-listen-stop')).toHaveLength(1);

    // 停止监听 from any page: audited once (the port's own end report adds nothing), the pages told.
    await service.start(sup, 'c1', '再听');
    expect(service.stop(sup, 'listen-2')).toEqual({ stopped: true });
    service.ended({ lid: 'listen-2', callId: 'c1', aor: 'listen-u3' }, 'stopped');
    expect(audit.filter((a) => a.action === 'supervisor.call-listen-stop')).toHaveLength(2);
    expect(told.at(-1)?.change).toEqual({ leg: null, ended: { lid: 'listen-2', callId: 'c1', why: 'stopped' } });

    // Another call listened to from another page: the first page learns its leg ended, then of the new one.
    await service.start(sup, 'c1', 'a');
    await service.start(sup, 'c1', 'b');
    expect(told.slice(-2).map((t) => t.change)).toEqual([
      { leg: null, ended: { lid: 'listen-3', callId: 'c1', why: 'another-call' } },
      { leg: { lid: 'listen-4', callId: 'c1', seatId: 's05' }, ended: null },
    ]);
    expect(told.every((t) => t.userId === 3)).toBe(true);
  });
});
