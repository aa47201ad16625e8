/**
 * 回访 task sources that come from outside a call: a 12345 ticket asking 12348 to call the citizen
 * back (issue 14's call-back ticket) becomes a task, due within the call-back deadline; a ticket
 * transferred with a call, or one without a number to call, does not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitTaskView } from '../../server/src/contract/index.js';
import { VirtualClock } from '../../server/src/domain/clock.js';
import { sendWebhook } from '../sim-12345/http-api.js';
import { login, startTestServer, tempDbPath, type TestServer } from '../support/server.js';

const KEY = { id: 'k1', secret: 'visit-sources-shared-secret' };
const T0 = Date.parse('2026-03-02T09:00:00+08:00');
let srv: TestServer;
let clock: VirtualClock;

beforeAll(async () => {
  const keyFile = path.join(path.dirname(tempDbPath()), '12345-keys');
  fs.writeFileSync(keyFile, `${KEY.id}=${KEY.secret}\n`);
  clock = new VirtualClock(T0);
  srv = await startTestServer({ clock, env: { H12345_KEY_FILE: keyFile, VISIT_CALLBACK_DUE_H: '8', SESSION_HOURS: '72' } });
});
afterAll(async () => {
  await srv?.stop();
});

async function openTasks(): Promise<VisitTaskView[]> {
  const cookie = await login(srv.url, 'supervisor');
  const res = await fetch(`${srv.url}/api/visits`, { headers: { cookie } });
  return ((await res.json()) as { data: VisitTaskView[] }).data;
}

const ticket = (deliveryId: string, event: string, id: string, citizenPhone: string | null) => ({
  deliveryId,
  event,
  ticket: { id, category: '劳动保障', title: '工资拖欠,市民要求律师回电', content: '公司拖欠三个月工资', citizenPhone },
});

describe('回访 tasks from 12345 call-back tickets', () => {
  it('when 12345 asks for a call-back with the citizen’s number, should create one task due within VISIT_CALLBACK_DUE_H, masked for the browser', async () => {
    const hook = `${srv.url}/api/12345/webhook`;
    expect(
      (
        await sendWebhook(hook, ticket('d-1', 'ticket.callback-requested', 'GD-CB-1', '13700009999'), KEY, {
          timestampS: Math.floor(clock.now() / 1000),
        })
      ).status,
    ).toBe(200);
    // The same ticket again (a later delivery) and one transferred with a call: no second task.
    expect(
      (
        await sendWebhook(hook, ticket('d-2', 'ticket.callback-requested', 'GD-CB-1', '13700009999'), KEY, {
          timestampS: Math.floor(clock.now() / 1000),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await sendWebhook(hook, ticket('d-3', 'ticket.transferred', 'GD-TR-1', '13700008888'), KEY, {
          timestampS: Math.floor(clock.now() / 1000),
        })
      ).status,
    ).toBe(200);

    const tasks = (await openTasks()).filter((t) => t.source === 'ticket-12345');

    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ callerMasked: '137****9999', centreId: 'city', callId: null, dueAt: T0 + 8 * 3600_000 });
    expect(tasks[0]!.note).toContain('GD-CB-1');
    expect(JSON.stringify(tasks)).not.toContain('13700009999');
  });

  it('when a call-back ticket has no number to call, should create no task (nothing to dial)', async () => {
    const hook = `${srv.url}/api/12345/webhook`;
    expect(
      (
        await sendWebhook(hook, ticket('d-4', 'ticket.callback-requested', 'GD-CB-2', null), KEY, {
          timestampS: Math.floor(clock.now() / 1000),
        })
      ).status,
    ).toBe(200);
    expect((await openTasks()).filter((t) => t.note?.includes('GD-CB-2'))).toEqual([]);
  });
});
