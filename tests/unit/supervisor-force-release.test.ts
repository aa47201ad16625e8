/**
 * 强拆 that Kamailio does not confirm: the supervisor gets the error, the call stays talking, and
 * the attempt is audited with its reason and why it failed (a late end is then recorded as 班长强拆
 * by the adapter; that path is tested in tests/telephony/survey.test.ts and the adapter's tests).
 */
import { describe, expect, it } from 'vitest';
import type { Call } from '../../server/src/domain/call.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { DomainError } from '../../server/src/domain/errors.js';
import type { AuditInput } from '../../server/src/features/audit/audit-service.js';
import { SupervisorService, type SupervisorEngine, type SupervisorUser } from '../../server/src/features/supervisor/supervisor-service.js';

const talking = {
  id: 'c1',
  homeCentreId: 'city',
  state: { kind: 'talking', seatId: 's01' },
  events: [{ type: 'answered', at: 0, seatId: 's01' }],
} as unknown as Call;

function service(endCall: () => Promise<void>) {
  const audit: AuditInput[] = [];
  let hungUp = 0;
  const engine = {
    getCall: () => talking,
    hangup: () => {
      hungUp++;
      return talking;
    },
    unitOfWork: <T>(fn: () => T) => fn(),
  } as unknown as SupervisorEngine;
  const svc = new SupervisorService({
    engine,
    scope: { seesSeat: () => true, seesCall: () => true, seesCentre: () => true, centresOf: () => null },
    clock: new VirtualClock(0),
    audit: (e) => audit.push(e),
    deliver: () => undefined,
    ender: { endCall },
  });
  return { svc, audit, hungUp: () => hungUp };
}

const supervisor: SupervisorUser = { id: 7, username: 'supervisor', role: 'supervisor' };

describe('强拆 refused by Kamailio', () => {
  it('rejects with the error, leaves the call talking and audits the failed attempt with its reason', async () => {
    const { svc, audit, hungUp } = service(() => Promise.reject(new DomainError('UNAVAILABLE', 'SIP 服务器没有应答,强拆未确认')));
    await expect(svc.forceRelease(supervisor, 'c1', '来电人辱骂')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(hungUp()).toBe(0);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'supervisor.call-force-release',
        target: 'call:c1',
        reason: '来电人辱骂',
        after: { state: 'talking', failed: 'SIP 服务器没有应答,强拆未确认' },
      }),
    ]);
  });

  it('when Kamailio ends it, one audit row with the state after', async () => {
    const { svc, audit, hungUp } = service(() => Promise.resolve());
    await svc.forceRelease(supervisor, 'c1', '来电人辱骂');
    expect(hungUp()).toBe(1);
    expect(audit).toHaveLength(1);
    expect(audit[0]).not.toHaveProperty('after.failed');
  });
});
