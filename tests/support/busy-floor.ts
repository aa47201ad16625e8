/**
 * A busy floor for the seat wall's layout tests: the demo seats in every state (talking on a
 * category, ringing, wrap-up, not ready with a reason, ready, offline), calls waiting, and
 * optionally more seats added the way an administrator adds them (PUT /api/seats/:id).
 */
import { DEMO_SEATS } from '../../server/src/seed/demo.js';
import { login, type TestServer } from './server.js';

const SURNAMES = ['赵', '钱', '孙', '李', '周', '吴', '郑', '王', '冯', '陈', '褚', '卫', '蒋', '沈', '韩', '杨'];
const GIVEN = ['志强', '秀兰', '海燕', '国栋', '丽娟', '建华', '晓东', '春梅', '永刚', '文静', '德明', '桂芳'];
const CENTRES = ['city', 'dongcheng', 'xishan'];
const SKILLS = ['labor', 'marriage-family', 'contract-debt', 'property-land', 'traffic-injury', 'consumer', 'criminal'];

/** Adds seats s19 … s<total> through the admin API (centres and skills spread over the demo's); returns their ids. */
export async function addSeats(server: TestServer, total: number): Promise<string[]> {
  const ids: string[] = [];
  const cookie = await login(server.url, 'admin');
  for (let n = DEMO_SEATS.length + 1; n <= total; n++) {
    const id = `s${String(n).padStart(2, '0')}`;
    const body = {
      name: `${SURNAMES[n % SURNAMES.length]}${GIVEN[n % GIVEN.length]}`,
      staffNo: `P${String(n).padStart(3, '0')}`,
      centreId: CENTRES[n % CENTRES.length],
      skills: { [SKILLS[n % SKILLS.length]!]: 4, general: 3 },
      languages: ['zh'],
    };
    const res = await fetch(`${server.url}/api/seats/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`PUT /api/seats/${id}: ${res.status} ${await res.text()}`);
    ids.push(id);
  }
  return ids;
}

let callNo = 0;
/** A call of the category behind `ivrCode`, offered while `seatId` is the only ready seat, answered there. */
function talk(server: TestServer, seatId: string, ivrCode: string, answer = true): string {
  const engine = server.app.engine;
  engine.setSeatReady(seatId);
  const call = engine.offerCall({ id: `floor-${++callNo}`, caller: `1391234${String(callNo).padStart(4, '0')}`, dialed: '12348', ivrCode });
  // A county seat is not offered a city call at once: the supervisor's 指派 puts it there.
  if (engine.getCall(call.id)?.state.kind === 'queued') engine.assignCall(call.id, seatId);
  if (answer) engine.answered(call.id, seatId);
  return call.id;
}

/** The demo seats in every state, and calls waiting in the queue. */
export function busyFloor(server: TestServer): void {
  const engine = server.app.engine;
  for (const s of DEMO_SEATS) engine.setRegistered(s.id, true);
  const talking: [string, string][] = [
    ['s01', '1'],
    ['s03', '3'],
    ['s05', '5'],
    ['s07', '15'],
    ['s09', '7'],
    ['s12', '6'],
    ['s15', '2'],
    ['s17', '8'],
  ];
  for (const [id, code] of talking) talk(server, id, code);
  engine.hangup(talk(server, 's04', '4'), 'caller'); // wrap-up
  talk(server, 's08', '13', false); // ringing
  for (const [id, reason] of [
    ['s02', 'meeting'],
    ['s10', 'meal'],
    ['s14', 'rest'],
  ] as const) {
    engine.setSeatReady(id);
    engine.setSeatNotReady(id, reason);
  }
  // Ready last, then calls that wait (the ready seats ring first).
  for (const id of ['s06', 's11', 's16']) engine.setSeatReady(id);
  for (const code of ['2', '9', '11', '0']) {
    engine.offerCall({ id: `floor-${++callNo}`, caller: `1381234${String(callNo).padStart(4, '0')}`, dialed: '12348', ivrCode: code });
  }
}

/** Seats added with addSeats: a third talking, a third on a break, a third signed out. */
export function busyMore(server: TestServer, seatIds: string[]): void {
  const engine = server.app.engine;
  seatIds.forEach((id, i) => {
    engine.setRegistered(id, true);
    if (i % 3 === 0) talk(server, id, String((i % 16) + 1));
    else if (i % 3 === 1) {
      engine.setSeatReady(id);
      engine.setSeatNotReady(id, 'rest');
    }
  });
}
