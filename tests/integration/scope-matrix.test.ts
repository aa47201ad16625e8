/**
 * The cross-centre matrix (issue 11 item 5): every staff route, every role, every centre in and
 * out of scope, over HTTP and the live queue's socket, against a real server.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  CallListResponse,
  CallbackRequestView,
  CallerHistory,
  MajorAlert,
  QueueSnapshot,
  ReferralView,
  SatisfactionFigures,
  SeatView,
  VisitTaskView,
} from '../../server/src/contract/index.js';
import { connect, emit, login, next } from '../support/server.js';
import { centreCall, createAccount, useCentreTrunks, waitingCall } from './support-accounts.js';
import { HOUR, SUMMARY, T0, api, data, fileAndFinish, harness } from './support-summaries.js';

const CENTRES = ['city', 'dongcheng', 'xishan'] as const;
type Centre = (typeof CENTRES)[number];
/** Each centre's answered call (filed, with a 重大事项 alert), answering seat and its account. */
const ANSWERED: Record<Centre, { call: string; seat: string; user: string }> = {
  city: { call: 'a-city', seat: 's01', user: 'seat01' },
  dongcheng: { call: 'a-dc', seat: 's09', user: 'seat09' },
  xishan: { call: 'a-xs', seat: 's14', user: 'seat14' },
};
const WAITING: Record<Centre, string> = { city: 'w-city', dongcheng: 'w-dc', xishan: 'w-xs' };

/** The staff accounts and the centres each one sees. */
const STAFF: Record<string, readonly Centre[]> = {
  supervisor: CENTRES, // the city's supervisor: every centre
  admin: CENTRES,
  'supervisor-dc': ['dongcheng'], // demo account scoped to 东城
  'manager-xs': ['xishan'], // created by the administrator below
  'supervisor-county': ['dongcheng', 'xishan'],
};

describe('centres in scope on every staff route', () => {
  const h = harness();
  const alertIds: Partial<Record<Centre, number>> = {};
  beforeAll(async () => {
    for (const u of ['admin', 'supervisor-dc', 'seat09', 'seat14']) h.cookies[u] = await login(h.srv.url, u);
    await createAccount(h, { username: 'manager-xs', role: 'manager', centres: ['xishan'] });
    await createAccount(h, { username: 'supervisor-county', role: 'supervisor', centres: ['dongcheng', 'xishan'] });
    useCentreTrunks(h);
    for (const c of CENTRES) {
      const a = ANSWERED[c];
      centreCall(h, c, a.seat, a.call, `1390000000${CENTRES.indexOf(c)}`);
      await fileAndFinish(h, a.call, a.user, a.seat, { ...SUMMARY, riskFlag: true, riskNote: `${c} 重大事项` });
      h.clock.advance(HOUR);
    }
    for (const c of CENTRES) waitingCall(h, c, WAITING[c], `1380000000${CENTRES.indexOf(c)}`);
    const all = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', 'admin'));
    for (const c of CENTRES) alertIds[c] = all.find((a) => a.callId === ANSWERED[c].call)!.id;
  });

  const seatCentre = (seats: SeatView[]) => new Set(seats.map((s) => s.centreId));
  const sorted = (xs: Iterable<string>) => [...xs].sort();

  for (const [user, scope] of Object.entries(STAFF)) {
    describe(`${user} (sees ${scope.join(', ')})`, () => {
      const inScope = (c: Centre) => scope.includes(c);

      it('GET /api/queue: only the seats and calls of the centres in scope', async () => {
        const q = data(await api<QueueSnapshot>(h, 'GET', '/api/queue', user));
        expect(sorted(seatCentre(q.seats))).toEqual(sorted(scope));
        expect(sorted(q.calls.map((c) => c.id))).toEqual(sorted(CENTRES.filter(inScope).map((c) => WAITING[c])));
      });

      it('queue:subscribe and its pushes: only the centres in scope', async () => {
        const s = await connect(h.srv.url, h.cookies[user]!);
        h.sockets.push(s);
        const ack = await emit(s, 'queue:subscribe', {});
        expect(ack.ok && sorted(ack.data.calls.map((c) => c.id))).toEqual(sorted(CENTRES.filter(inScope).map((c) => WAITING[c])));
        const pushed = next(s, 'queue:updated');
        h.srv.app.engine.setSeatNotReady('s18', 'rest'); // a 西山 seat signs in, not ready
        h.clock.advance(1000); // snapshots are coalesced on the server's (virtual) clock
        const snap = await pushed;
        h.srv.app.engine.setSeatOffline('s18');
        expect(sorted(seatCentre(snap.seats))).toEqual(sorted(scope));
        expect(snap.calls.every((c) => inScope(c.homeCentreId as Centre))).toBe(true);
      });

      it('GET /api/calls: only the call records of the centres in scope', async () => {
        const r = data(await api<CallListResponse>(h, 'GET', `/api/calls?from=${T0 - HOUR}&to=${T0 + 24 * HOUR}`, user));
        const expected = CENTRES.filter(inScope).flatMap((c) => [ANSWERED[c].call, WAITING[c]]);
        expect(sorted(r.records.map((x) => x.callId))).toEqual(sorted(expected));
      });

      for (const c of CENTRES) {
        const want = inScope(c) ? 200 : 404;
        it(`the ${c} call's record, summary and caller history: ${want}`, async () => {
          const id = ANSWERED[c].call;
          expect((await api(h, 'GET', `/api/calls/${id}`, user)).status).toBe(want);
          expect((await api(h, 'GET', `/api/calls/${id}/summary`, user)).status).toBe(want);
          expect((await api<CallerHistory>(h, 'GET', `/api/calls/${id}/history`, user)).status).toBe(want);
          expect((await api(h, 'GET', `/api/calls/${WAITING[c]}`, user)).status).toBe(want);
        });
      }

      it('GET /api/alerts: only the alerts of the centres in scope', async () => {
        const alerts = data(await api<MajorAlert[]>(h, 'GET', '/api/alerts', user));
        expect(sorted(alerts.map((a) => a.callId))).toEqual(sorted(CENTRES.filter(inScope).map((c) => ANSWERED[c].call)));
      });

      it('GET /api/seats: only the seats of the centres in scope', async () => {
        expect(sorted(seatCentre(data(await api<SeatView[]>(h, 'GET', '/api/seats', user))))).toEqual(sorted(scope));
      });
    });
  }

  it('POST /api/alerts/:id/ack: an alert out of scope is not found, one in scope is acknowledged', async () => {
    expect((await api(h, 'POST', `/api/alerts/${alertIds.city}/ack`, 'supervisor-dc')).status).toBe(404);
    expect((await api(h, 'POST', `/api/alerts/${alertIds.xishan}/ack`, 'supervisor-dc')).status).toBe(404);
    expect((await api(h, 'POST', `/api/alerts/${alertIds.dongcheng}/ack`, 'manager-xs')).status).toBe(404);
    const acked = await api<MajorAlert>(h, 'POST', `/api/alerts/${alertIds.dongcheng}/ack`, 'supervisor-dc');
    expect(acked.status).toBe(200);
    expect(data(acked).acknowledgedBy).toBe('东城区班长 韩雪');
    expect(
      data(await api<MajorAlert[]>(h, 'GET', '/api/alerts?open=1', 'supervisor'))
        .map((a) => a.callId)
        .sort(),
    ).toEqual(['a-city', 'a-xs']);
  });

  it("alert pushes reach a scoped supervisor for its centres only (pushes arrive in order: the 东城 one after the city one's moment)", async () => {
    const s = await connect(h.srv.url, h.cookies['supervisor-dc']!);
    h.sockets.push(s);
    expect((await emit(s, 'queue:subscribe', {})).ok).toBe(true);
    const got: string[] = [];
    s.on('alert:updated', (a) => got.push(a.callId));
    const dcPush = next(s, 'alert:updated', (a) => a.callId === 'a-dc');
    // A second report on a call updates its alert and pushes it again.
    expect((await api(h, 'POST', '/api/calls/a-city/major-report', 'seat01', { note: '市中心:新情况' })).status).toBe(200);
    expect((await api(h, 'POST', '/api/calls/a-dc/major-report', 'seat09', { note: '东城:新情况' })).status).toBe(200);
    await dcPush;
    expect(got).toEqual(['a-dc']);
  });

  describe('later staff routes: callbacks, hand-overs, referrals, visits, satisfaction (supervisor-dc sees 东城 only)', () => {
    const SEAT: Record<Centre, string> = { city: 's01', dongcheng: 's09', xishan: 's14' };
    const ids = (c: Centre, kind: string) => `${kind}-${c}`;
    beforeAll(() => {
      const db = h.srv.db;
      const now = h.clock.now();
      for (const c of CENTRES) {
        db.prepare(
          `INSERT INTO callback_requests (call_id, caller, category_id, home_centre_id, language, flags_json, wait_s, trigger, reason, created_at, updated_at)
           VALUES (?, '13700000000', 'labor', ?, NULL, '[]', 30, 'no-seat', NULL, ?, ?)`,
        ).run(ids(c, 'cb'), c, now, now);
        db.prepare(
          `INSERT INTO handovers (id, direction, call_id, seat_id, ticket, transfer_id, state, detail, payload_json, created_at, updated_at)
           VALUES (?, 'to-12345', ?, ?, NULL, NULL, 'accepted', '', '{}', ?, ?)`,
        ).run(ids(c, 'ho'), ANSWERED[c].call, SEAT[c], now, now);
        db.prepare(
          `INSERT INTO referrals (id, call_id, seat_id, centre_id, kind, office_id, office_name, channel, state, outcome, due_at, payload_json, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'mediation', NULL, '调解委员会', 'form', 'open', '', ?, '{}', ?, ?)`,
        ).run(ids(c, 'rf'), ANSWERED[c].call, SEAT[c], c, now - 1000, now - 2000, now - 2000);
        db.prepare(
          `INSERT INTO visit_tasks (source, source_ref, call_id, caller, category_id, centre_id, seat_id, created_at, due_at, next_attempt_at, note, updated_at)
           VALUES ('sample', ?, ?, '13700000000', 'labor', ?, ?, ?, ?, ?, NULL, ?)`,
        ).run(ids(c, 'vt'), ANSWERED[c].call, c, SEAT[c], now - 2000, now - 1000, now - 2000, now - 2000);
      }
    });
    const expectOnly = (got: string[], kind: string, scope: readonly Centre[]) =>
      expect(sorted(got.filter((x) => x.startsWith(`${kind}-`)))).toEqual(sorted(scope.map((c) => ids(c, kind))));

    const LATER: [string, readonly Centre[]][] = [
      ['supervisor-dc', ['dongcheng']],
      ['supervisor', CENTRES],
    ];
    for (const [user, scope] of LATER) {
      it(`${user}: GET /api/callbacks, /api/handovers, /api/referrals, /api/visits and /api/satisfaction/figures cover ${scope.join(', ')}`, async () => {
        const cbs = data(await api<CallbackRequestView[]>(h, 'GET', '/api/callbacks?limit=200', user));
        expectOnly(
          cbs.map((c) => c.callId),
          'cb',
          scope,
        );
        expect(cbs.every((c) => scope.includes(c.homeCentreId as Centre))).toBe(true);
        const ho = data(await api<{ handovers: { id: string }[] }>(h, 'GET', '/api/handovers', user));
        expectOnly(
          ho.handovers.map((x) => x.id),
          'ho',
          scope,
        );
        const rf = data(
          await api<{ referrals: ReferralView[]; overdue: ReferralView[] }>(
            h,
            'GET',
            `/api/referrals?from=0&to=${h.clock.now() + 1}`,
            user,
          ),
        );
        expectOnly(
          rf.referrals.map((x) => x.id),
          'rf',
          scope,
        );
        expectOnly(
          rf.overdue.map((x) => x.id),
          'rf',
          scope,
        );
        const visits = data(await api<VisitTaskView[]>(h, 'GET', '/api/visits?status=open&limit=200', user));
        expect(sorted(new Set(visits.map((v) => v.centreId)))).toEqual(sorted(scope));
        const fig = data(
          await api<SatisfactionFigures>(h, 'GET', `/api/satisfaction/figures?from=${T0 - HOUR}&to=${T0 + 24 * HOUR}&groupBy=centre`, user),
        );
        expect(fig.rows.map((r) => r.key)).toEqual(sorted(scope));
        expect(fig.overdueVisits).toBe(scope.length);
      });
    }

    it('callback pushes reach supervisor-dc for 东城 requests only', async () => {
      const s = await connect(h.srv.url, h.cookies['supervisor-dc']!);
      h.sockets.push(s);
      expect((await emit(s, 'queue:subscribe', {})).ok).toBe(true);
      const got: CallbackRequestView[] = [];
      s.on('callback:updated', (c) => got.push(c));
      const dcPush = next(s, 'callback:updated', (c) => c.callId === 'cb-push-dc');
      const engine = h.srv.app.engine;
      for (const seat of engine.listSeats()) if (seat.state.kind !== 'offline') engine.setSeatOffline(seat.profile.id);
      engine.offerCall({ id: 'cb-push-city', caller: '13600000001', dialed: '12348', trunk: null });
      engine.offerCall({ id: 'cb-push-dc', caller: '13600000002', dialed: '12348', trunk: 'dc-trunk' });
      await dcPush;
      expect(got.map((c) => c.callId)).toContain('cb-push-dc');
      expect(got.map((c) => c.callId)).not.toContain('cb-push-city');
      expect(got.every((c) => c.homeCentreId === 'dongcheng')).toBe(true);
    });
    it('single hand-overs, referrals and visit tasks: out of scope 404 for supervisor-dc, a seat its own only', async () => {
      /** The printable form is plain text: its status only. */
      const form = async (c: Centre, user: string) =>
        (await fetch(`${h.srv.url}/api/referrals/${ids(c, 'rf')}/form`, { headers: { cookie: h.cookies[user]! } })).status;
      const vt = (c: Centre) =>
        (h.srv.db.prepare('SELECT id FROM visit_tasks WHERE source_ref = ?').get(ids(c, 'vt')) as { id: number }).id;
      for (const c of CENTRES) {
        const want = c === 'dongcheng' ? 200 : 404;
        expect((await api(h, 'GET', `/api/handovers/${ids(c, 'ho')}`, 'supervisor-dc')).status, `handover ${c}`).toBe(want);
        expect(await form(c, 'supervisor-dc'), `form ${c}`).toBe(want);
        const due = { dueAt: h.clock.now() + 7 * 24 * HOUR };
        expect((await api(h, 'PUT', `/api/referrals/${ids(c, 'rf')}`, 'supervisor-dc', due)).status, `referral ${c}`).toBe(want);
        expect((await api(h, 'POST', `/api/visits/${vt(c)}/dial`, 'supervisor-dc')).status, `dial ${c}`).toBe(want);
        expect((await api(h, 'PUT', `/api/visits/${vt(c)}/assignee`, 'supervisor-dc', { seatId: 's09' })).status, `assign ${c}`).toBe(want);
        expect((await api(h, 'POST', `/api/visits/${vt(c)}/outcome`, 'supervisor-dc', { outcome: 'no-answer' })).status).toBe(
          c === 'dongcheng' ? 200 : 404,
        );
        // The city's supervisor sees every centre.
        expect((await api(h, 'GET', `/api/handovers/${ids(c, 'ho')}`, 'supervisor')).status).toBe(200);
        expect(await form(c, 'supervisor')).toBe(200);
        // A seat: its own hand-over and referral form only.
        const own = c === 'city' ? 200 : 404;
        expect((await api(h, 'GET', `/api/handovers/${ids(c, 'ho')}`, 'seat01')).status, `seat01 handover ${c}`).toBe(own);
        expect(await form(c, 'seat01'), `seat01 form ${c}`).toBe(own);
      }
      // Nothing refused changed: the out-of-scope referrals keep no due date change, their tasks no assignee.
      const rf = h.srv.db
        .prepare('SELECT id, due_at AS dueAt FROM referrals WHERE id IN (?, ?)')
        .all(ids('city', 'rf'), ids('xishan', 'rf'));
      expect(rf.every((x) => (x as { dueAt: number }).dueAt < h.clock.now())).toBe(true);
      const vts = h.srv.db
        .prepare('SELECT assignee_seat_id AS a, attempts FROM visit_tasks WHERE source_ref IN (?, ?)')
        .all(ids('city', 'vt'), ids('xishan', 'vt')) as { a: string | null; attempts: number }[];
      expect(vts).toEqual([
        { a: null, attempts: 0 },
        { a: null, attempts: 0 },
      ]);
      // A scoped supervisor cannot hand its task to a seat of another centre.
      expect((await api(h, 'PUT', `/api/visits/${vt('dongcheng')}/assignee`, 'supervisor-dc', { seatId: 's01' })).status).toBe(403);
    });
  });

  describe('seats', () => {
    it('a seat reaches no staff route', async () => {
      for (const path of [
        '/api/queue',
        '/api/calls?from=0&to=1',
        '/api/calls/a-city',
        '/api/alerts',
        '/api/seats',
        '/api/summaries/unfiled',
      ]) {
        expect((await api(h, 'GET', path, 'seat01')).status, path).toBe(403);
      }
      expect((await api(h, 'POST', `/api/alerts/${alertIds.city}/ack`, 'seat01')).status).toBe(403);
    });

    for (const c of CENTRES) {
      it(`a seat sees its own ${c} call's summary and no other centre's`, async () => {
        const { call, user } = ANSWERED[c];
        expect((await api(h, 'GET', `/api/calls/${call}/summary`, user)).status).toBe(200);
        for (const other of CENTRES.filter((o) => o !== c)) {
          expect((await api(h, 'GET', `/api/calls/${ANSWERED[other].call}/summary`, user)).status).toBe(404);
          expect((await api(h, 'GET', `/api/calls/${ANSWERED[other].call}/history`, user)).status).toBe(404);
        }
      });
    }
  });
});
