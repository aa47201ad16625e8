/**
 * Threshold alerts (issue 12 item 4) against a real server on the virtual clock: limits set over
 * the API (validated, audited), an alert raised when a wait passes its limit and pushed to the
 * supervisors in scope, acknowledged (audited), and cleared with its condition.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_THRESHOLDS, type AlertThresholds, type AuditListResponse, type LiveAlert } from '../../server/src/contract/index.js';
import { connect, emit, login, next } from '../support/server.js';
import { useCentreTrunks, waitingCall } from './support-accounts.js';
import { S, api, data, error, harness } from './support-summaries.js';

describe('threshold alerts', () => {
  const h = harness();
  beforeAll(async () => {
    for (const u of ['admin', 'supervisor-dc']) h.cookies[u] = await login(h.srv.url, u);
    useCentreTrunks(h);
    // Signed in but not ready: calls wait instead of overflowing for want of any seat.
    for (const id of ['s01', 's02', 's03', 's09']) h.srv.app.engine.setSeatNotReady(id, 'rest');
  });

  it('limits are validated, saved and audited', async () => {
    const bad = error(
      await api(h, 'PUT', '/api/alert-thresholds', 'supervisor', {
        ...DEFAULT_ALERT_THRESHOLDS,
        longestWait: { enabled: true, limitS: 1 },
      }),
    );
    expect(bad.code).toBe('VALIDATION');
    expect(Object.keys(bad.fields ?? {})).toContain('longestWait.limitS');
    expect((await api(h, 'PUT', '/api/alert-thresholds', 'seat01', DEFAULT_ALERT_THRESHOLDS)).status).toBe(403);
    const next: AlertThresholds = {
      ...DEFAULT_ALERT_THRESHOLDS,
      longestWait: { enabled: true, limitS: 10 },
      serviceLevel: { ...DEFAULT_ALERT_THRESHOLDS.serviceLevel, enabled: false },
    };
    expect(data(await api<AlertThresholds>(h, 'PUT', '/api/alert-thresholds', 'supervisor', next)).longestWait.limitS).toBe(10);
    expect(data(await api<AlertThresholds>(h, 'GET', '/api/alert-thresholds', 'supervisor')).longestWait.limitS).toBe(10);
    const audit = data(await api<AuditListResponse>(h, 'GET', '/api/audit?action=alert.thresholds', 'admin')).entries;
    expect(audit[0]).toMatchObject({ username: 'supervisor', after: { longestWait: { limitS: 10 } } });
  });

  it('a call waiting past the limit raises an alert, pushed to the supervisors who see its centre; 确认 is audited; it clears with the wait', async () => {
    const sup = await connect(h.srv.url, h.cookies.supervisor!);
    h.sockets.push(sup);
    await emit(sup, 'queue:subscribe', {});
    waitingCall(h, 'city', 'long-1', '13800001111');
    const pushed = next(sup, 'live-alerts:updated', (l: LiveAlert[]) => l.some((a) => a.key === 'longestWait:city'));
    h.clock.advance(9 * S);
    expect(data(await api<LiveAlert[]>(h, 'GET', '/api/live-alerts', 'supervisor')).map((a) => a.key)).not.toContain('longestWait:city');
    h.clock.advance(3 * S);
    const alert = (await pushed).find((a) => a.key === 'longestWait:city')!;
    expect(alert).toMatchObject({ kind: 'longestWait', centreId: 'city', acknowledgedAt: null });
    expect(alert.text).toContain('等待超过 10 秒');

    // 东城's supervisor does not see the city's alert, and cannot acknowledge it.
    expect(data(await api<LiveAlert[]>(h, 'GET', '/api/live-alerts', 'supervisor-dc'))).toEqual([]);
    expect((await api(h, 'POST', '/api/live-alerts/longestWait:city/ack', 'supervisor-dc')).status).toBe(404);

    const acked = data(await api<LiveAlert>(h, 'POST', '/api/live-alerts/longestWait:city/ack', 'supervisor'));
    expect(acked.acknowledgedBy).toBe('supervisor');
    const audit = data(await api<AuditListResponse>(h, 'GET', '/api/audit?action=alert.threshold-acknowledge', 'admin')).entries;
    expect(audit[0]).toMatchObject({ username: 'supervisor', target: 'live-alert:longestWait:city' });

    h.srv.app.engine.hangup('long-1', 'caller');
    h.clock.advance(2 * S);
    expect(data(await api<LiveAlert[]>(h, 'GET', '/api/live-alerts', 'supervisor'))).toEqual([]);
    expect((await api(h, 'POST', '/api/live-alerts/longestWait:city/ack', 'supervisor')).status).toBe(404);
  });

  it('a seat that missed offers repeatedly raises an alert naming it', async () => {
    const engine = h.srv.app.engine;
    for (const s of engine.listSeats()) if (s.state.kind === 'ready') engine.setSeatNotReady(s.profile.id, 'rest');
    engine.setSeatNotReady('s02', 'rest');
    for (const id of ['miss-1', 'miss-2']) {
      engine.offerCall({ id, caller: '13800002222', dialed: '123482' });
      engine.setSeatReady('s02');
      expect(engine.getCall(id)?.state).toMatchObject({ kind: 'ringing', seatId: 's02' });
      engine.ringTimeout(id, 's02');
      engine.hangup(id, 'caller');
    }
    h.clock.advance(2 * S);
    const list = data(await api<LiveAlert[]>(h, 'GET', '/api/live-alerts', 'supervisor'));
    expect(list.find((a) => a.key === 'missedOffers:s02')?.text).toContain('李秀英');
  });
});
