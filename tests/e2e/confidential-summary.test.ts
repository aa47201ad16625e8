import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse } from '../../server/src/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { fillLogin } from '../support/console-page.js';
import { login, startTestServer, type TestServer } from '../support/server.js';

/**
 * A 保密 summary read from the console in headless Chromium against the real server and the
 * built client: seat01 files a summary with 来电人要求保密 ticked; the supervisor opens the call
 * in 录音回放, is asked for a reason (the server refuses the read without one), gives it and reads
 * the summary; the audit log keeps the read with that reason.
 */
let srv: TestServer;
let browser: Browser;
const CALL = 'e2e-conf-1';
const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const shots = process.env.SCREENSHOT_DIR ?? '.run/screenshots';

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  srv = await startTestServer();
  browser = await launchChromium();
  const engine = srv.app.engine;
  for (const s of engine.listSeats()) if (s.state.kind === 'ready') engine.setSeatNotReady(s.profile.id, 'rest');
  engine.setSeatReady('s01');
  engine.offerCall({ id: CALL, caller: '13900002222', dialed: '12348' });
  engine.answered(CALL, 's01');
  engine.hangup(CALL, 'caller');
  const cookie = await login(srv.url, 'seat01');
  const res = await fetch(`${srv.url}/api/calls/${CALL}/summary`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({
      categoryId: 'labor',
      topic: '家暴求助',
      question: '来电人询问人身安全保护令',
      answer: '告知申请条件与管辖法院',
      disposition: 'answered',
      confidential: true,
    }),
  });
  expect(res.status, await res.text()).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await srv?.stop();
});

describe('保密 summary in 录音回放', () => {
  it('the supervisor gives a reason, reads the summary, and the audit log has the reason', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    await page.goto(`${srv.url}/#/recordings`);
    await fillLogin(page, 'supervisor');
    await page.getByRole('heading', { name: '录音回放' }).waitFor();
    await page.getByLabel('来电编号').fill(CALL);
    await page.getByRole('button', { name: '打开' }).click();

    const prompt = page.getByRole('form', { name: '查看保密小结' });
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('记入审计日志');
    const summary = page.getByRole('region', { name: '小结' });
    expect(await summary.textContent()).not.toContain('家暴求助');
    await prompt.getByLabel('查看理由').fill('核查');
    expect(await prompt.getByRole('button', { name: '查看小结' }).isDisabled()).toBe(true);
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'confidential-summary-reason.png') });
    await prompt.getByLabel('查看理由').fill('复核来电处理情况');
    await prompt.getByRole('button', { name: '查看小结' }).click();
    await summary.getByText('家暴求助').waitFor();
    expect(await summary.textContent()).toContain('告知申请条件与管辖法院');
    await page.close();

    const admin = await login(srv.url, 'admin');
    const audit = (await (
      await fetch(`${srv.url}/api/audit?action=summary.confidential-read&limit=100`, { headers: { cookie: admin } })
    ).json()) as { data: AuditListResponse };
    expect(audit.data.entries.map((e) => ({ username: e.username, target: e.target, reason: e.reason }))).toEqual([
      { username: 'supervisor', target: `call:${CALL}`, reason: '复核来电处理情况' },
    ]);
  });
});
