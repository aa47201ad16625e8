/**
 * 坐席掉线: the disconnect grace on the virtual clock (domain/console-watch.ts) and what the
 * router then does with a call still up at the seat (features/supervisor/seat-lost-service.ts),
 * on a real engine with fake telephony.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { ConsoleWatch, consoleGoneStep } from '../../server/src/domain/console-watch.js';
import { DomainError } from '../../server/src/domain/errors.js';
import type { AuditInput } from '../../server/src/features/audit/audit-service.js';
import { SeatLostService } from '../../server/src/features/supervisor/seat-lost-service.js';
import { createHarness, seat } from './support/engine-harness.js';

const GRACE = 30_000;

function watch(answers: ('done' | 'again')[] = []) {
  const clock = new VirtualClock(0);
  const expired: [string, number][] = [];
  const w = new ConsoleWatch({
    clock,
    graceMs: GRACE,
    expired: (seatId) => {
      expired.push([seatId, clock.now()]);
      return answers.shift() ?? 'done';
    },
  });
  return { clock, w, expired };
}

describe('the disconnect grace (ConsoleWatch)', () => {
  it('expires once the grace has passed with no console back, not before', () => {
    const { clock, w, expired } = watch();
    w.gone('s01');
    clock.advance(GRACE - 1);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual([['s01', GRACE]]);
    expect(w.watching('s01')).toBe(false);
  });

  it('a console back within the grace (a reload, a network blip) cancels it', () => {
    const { clock, w, expired } = watch();
    w.gone('s01');
    clock.advance(GRACE - 1000);
    w.back('s01');
    clock.advance(10 * GRACE);
    expect(expired).toEqual([]);
  });

  it('a second disconnect during the grace does not restart it', () => {
    const { clock, w, expired } = watch();
    w.gone('s01');
    clock.advance(10_000);
    w.gone('s01');
    clock.advance(GRACE - 10_000);
    expect(expired).toEqual([['s01', GRACE]]);
  });

  it('`again` starts another grace; a grace of 0 watches nothing; close stops every timer', () => {
    const { clock, w, expired } = watch(['again', 'done']);
    w.gone('s01');
    clock.advance(3 * GRACE);
    expect(expired).toEqual([
      ['s01', GRACE],
      ['s01', 2 * GRACE],
    ]);
    const off = new ConsoleWatch({ clock, graceMs: 0, expired: () => expect.fail('no grace, no expiry') });
    off.gone('s01');
    expect(off.watching('s01')).toBe(false);
    w.gone('s02');
    w.close();
    clock.advance(2 * GRACE);
    expect(expired).toHaveLength(2);
  });
});

describe('what a seat without console gets after the grace', () => {
  it('talking (the caller on hold included): its call is ended; ringing: wait; offline: nothing; else offline', () => {
    expect(consoleGoneStep({ kind: 'talking', since: 0, callId: 'c1' })).toEqual({ kind: 'end-call', callId: 'c1' });
    expect(consoleGoneStep({ kind: 'ringing', since: 0, callId: 'c1', attempt: 1, idleSince: 0 })).toEqual({ kind: 'wait' });
    expect(consoleGoneStep({ kind: 'offline', since: 0 })).toEqual({ kind: 'nothing' });
    expect(consoleGoneStep({ kind: 'ready', since: 0 })).toEqual({ kind: 'offline' });
    expect(consoleGoneStep({ kind: 'wrap-up', since: 0, callId: 'c1', until: 1, extensions: 0 })).toEqual({ kind: 'offline' });
  });
});

function lost(endCall: (callId: string) => Promise<void>) {
  const h = createHarness({ seats: [seat('s01', { labor: 5 })] });
  h.engine.setSeatReady('s01');
  h.call('c1', { caller: '13900001111' });
  h.answer('c1');
  const audit: AuditInput[] = [];
  const tasks: unknown[] = [];
  const arming: [string, boolean][] = [];
  const svc = new SeatLostService({
    engine: h.engine,
    ender: { endCall, armSurvey: (callId, on) => (arming.push([callId, on]), true) },
    visits: { createForSeatLost: (t) => (tasks.push(t), t as never) },
    audit: (e) => audit.push(e),
    clock: h.clock,
    logger: pino({ level: 'silent' }),
    graceS: 30,
  });
  return { h, svc, audit, tasks, arming };
}

describe('坐席掉线 (SeatLostService)', () => {
  it('disarms the survey, ends the call as 坐席掉线, sets the seat offline, makes a call-back task and audits it as the system', async () => {
    const ended: string[] = [];
    const { h, svc, audit, tasks, arming } = lost(async (callId) => void ended.push(callId));
    expect(await svc.endCall('s01', 'c1')).toBe(true);
    expect(arming).toEqual([['c1', false]]);
    expect(ended).toEqual(['c1']);
    expect(h.events('c1', 'hung-up')).toEqual([expect.objectContaining({ by: 'seat-lost' })]);
    expect(h.seatState('s01').kind).toBe('offline');
    expect(tasks).toEqual([
      expect.objectContaining({ callId: 'c1', caller: '13900001111', seatId: 's01', note: expect.stringContaining('系统已结束通话') }),
    ]);
    expect(audit).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ username: 'system' }),
        action: 'system.call-seat-lost',
        target: 'call:c1',
      }),
    ]);
  });

  it('Kamailio cannot end it: nothing recorded, the seat keeps its call, tried again later (false)', async () => {
    const { h, svc, audit, tasks } = lost(() => Promise.reject(new DomainError('UNAVAILABLE', 'SIP 服务器没有回应,通话未能结束')));
    expect(await svc.endCall('s01', 'c1')).toBe(false);
    expect(h.state('c1').kind).toBe('talking');
    expect(h.seatState('s01').kind).toBe('talking');
    expect(tasks).toEqual([]);
    expect(audit).toEqual([]);
  });

  it('Kamailio has no dialog left or could not BYE the seat (a crashed browser): the call is recorded as ended all the same', async () => {
    const { h, svc, tasks, audit } = lost(() =>
      Promise.reject(new DomainError('CONFLICT', '这通电话已经结束,无法强拆', { why: 'bye-failed' })),
    );
    expect(await svc.endCall('s01', 'c1')).toBe(true);
    expect(h.events('c1', 'hung-up')).toEqual([expect.objectContaining({ by: 'seat-lost' })]);
    expect(h.seatState('s01').kind).toBe('offline');
    expect(tasks).toHaveLength(1);
    expect(audit).toHaveLength(1);
  });

  it('another end under way (a supervisor 强拆) or the dialog not known yet: nothing recorded, tried again later', async () => {
    const { h, svc, tasks } = lost(() => Promise.reject(new DomainError('CONFLICT', '这通电话正在结束', { callId: 'c1' })));
    expect(await svc.endCall('s01', 'c1')).toBe(false);
    expect(h.state('c1').kind).toBe('talking');
    expect(tasks).toEqual([]);
  });

  it('the caller hung up meanwhile: nothing to end, no task', async () => {
    const { h, svc, tasks } = lost(() => Promise.reject(new Error('not reached')));
    h.engine.hangup('c1', 'caller');
    expect(await svc.endCall('s01', 'c1')).toBe(true);
    expect(tasks).toEqual([]);
    expect(h.events('c1', 'hung-up')).toEqual([expect.objectContaining({ by: 'caller' })]);
  });

  it('without telephony the call is left to finish (false)', async () => {
    const { h } = lost(() => Promise.resolve());
    const svc = new SeatLostService({
      engine: h.engine,
      ender: null,
      visits: { createForSeatLost: () => expect.fail('no task') },
      audit: () => expect.fail('no audit'),
      clock: h.clock,
      logger: pino({ level: 'silent' }),
      graceS: 30,
    });
    expect(await svc.endCall('s01', 'c1')).toBe(false);
    expect(h.state('c1').kind).toBe('talking');
  });
});
