/**
 * The 话单 export announces its row count (X-Total-Rows) before it streams, and the page shows
 * "n / total 行" from it: the count must be the rows the file will hold, under the filters and the
 * user's centre scope (it used to be every call of the range, hotline-wide: "0 / 5569 行" for a
 * filter that matched nothing, and a county manager learned the whole hotline's volume).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEATS } from '../../server/src/seed/demo.js';
import { seedDemoHistory } from '../../server/src/seed/demo-history.js';
import { parseCsv } from '../support/csv.js';
import { login } from '../support/server.js';
import { createAccount } from './support-accounts.js';
import { harness } from './support-summaries.js';

const chinaDay = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);

describe('the 话单 row count announced before the download', () => {
  const h = harness();
  let range = '';
  beforeAll(async () => {
    for (const u of ['manager', 'admin']) h.cookies[u] = await login(h.srv.url, u);
    await createAccount(h, { username: 'dc-manager', role: 'manager', centres: ['dongcheng'] });
    expect(seedDemoHistory(h.srv.db, h.clock.now(), DEMO_SEATS)).toBeGreaterThan(1000);
    // Three weeks back to today: across a month boundary or not, and across China-time midnights.
    range = `from=${chinaDay(h.clock.now() - 21 * 86_400_000)}&to=${chinaDay(h.clock.now())}`;
  });

  async function exported(user: string, filter: string) {
    const res = await fetch(`${h.srv.url}/api/reports/export/calls.csv?${range}${filter}`, { headers: { cookie: h.cookies[user]! } });
    expect(res.status).toBe(200);
    const rows = parseCsv((await res.text()).slice(1)).length - 1;
    return { announced: Number(res.headers.get('x-total-rows')), rows };
  }

  it('equals the rows written, for every filter and combination', async () => {
    const all = await exported('manager', '');
    expect(all.rows).toBeGreaterThan(500);
    expect(all.announced).toBe(all.rows);
    for (const filter of [
      '&categories=labor',
      '&categories=labor,marriage-family',
      '&centres=dongcheng',
      '&centres=city',
      '&seats=s01',
      '&seats=s01,s09',
      '&hours=9',
      '&hours=0,8,23',
      '&weekdays=1',
      '&weekdays=6,7',
      '&centres=city&categories=labor&hours=10,14&weekdays=1,2,3',
      '&categories=no-such-category',
    ]) {
      const r = await exported('manager', filter);
      expect(r.announced, filter).toBe(r.rows);
      expect(r.rows, filter).toBeLessThan(all.rows);
    }
    expect((await exported('manager', '&categories=no-such-category')).rows).toBe(0);
    expect((await exported('manager', '&seats=s01')).rows).toBeGreaterThan(0);
  });

  it('a county manager is told the rows of its own centre, not the whole hotline’s', async () => {
    const county = await exported('dc-manager', '');
    expect(county.announced).toBe(county.rows);
    expect(county.rows).toBe((await exported('manager', '&centres=dongcheng')).rows);
  });
});
