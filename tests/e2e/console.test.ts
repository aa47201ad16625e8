import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { fillLogin } from '../support/console-page.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * End to end in headless Chromium against the real server and the built client:
 * what a seat lawyer and a supervisor see after signing in.
 */
let srv: TestServer;
let browser: Browser;
/** README's screenshots: refresh with SCREENSHOT_DIR=docs/screenshots npx vitest run tests/e2e */
const shots = process.env.SCREENSHOT_DIR ?? '.run/screenshots';
fs.mkdirSync(shots, { recursive: true });

beforeAll(async () => {
  srv = await startTestServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signIn(username: string, password = 'demo12348'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
  await page.goto(srv.url);
  await fillLogin(page, username, password);
  return page;
}

describe('signing in', () => {
  it('when the password is wrong, the page should say so and stay on the login form', async () => {
    const page = await signIn('seat01', 'wrong-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名或密码错误');
    expect(await page.getByRole('button', { name: '登录' }).isVisible()).toBe(true);
    await page.close();
  });

  it('when a seat lawyer signs in, the seat workbench should open with their name, and 就绪 should make the seat ready on the server', async () => {
    const page = await signIn('seat01');
    await page.getByText('坐席工作台').first().waitFor();
    await page.getByText('王建国').first().waitFor();
    await page.getByRole('button', { name: '就绪' }).click();
    await expect.poll(() => srv.app.engine.getSeat('s01').state.kind).toBe('ready');
    await page.getByRole('region', { name: '坐席状态' }).getByText('就绪', { exact: true }).waitFor();

    srv.app.engine.offerCall({ id: 'e2e-1', caller: '13812345678', dialed: '12348', ivrCode: '1', flags: ['elderly'] });
    await page.getByText('138****5678').waitFor();
    await page.getByText('婚姻家庭与继承').first().waitFor();
    await page.getByText('老年人').first().waitFor();
    expect(await page.content()).not.toContain('13812345678');
    await page.screenshot({ path: path.join(shots, 'seat-ringing.png') });
    await page.close();
  });

  it('when a supervisor signs in, the live monitor should list every seat and the waiting calls', async () => {
    srv.app.engine.setSeatNotReady('s02', 'meeting');
    srv.app.engine.offerCall({ id: 'e2e-2', caller: '13900001111', dialed: '12348', ivrCode: '2' });
    const page = await signIn('supervisor');
    await page.getByText('班长监控').first().waitFor();
    await page.getByText('139****1111').waitFor();
    for (const name of ['李秀英', '周婷', '高原']) await page.getByText(name).first().waitFor();
    await page.screenshot({ path: path.join(shots, 'monitor.png') });
    await page.close();
  });
});

describe('knowledge base', () => {
  it('when a supervisor edits an entry, a seat lawyer should find the new answer with a Chinese query typed through an input method', async () => {
    const sup = await signIn('supervisor');
    await sup.getByText('班长监控').first().waitFor();
    await sup.getByRole('button', { name: '知识库', exact: true }).click();
    await sup.getByRole('searchbox', { name: '搜索知识库' }).fill('讨薪');
    await sup.locator('.kb-list-item mark', { hasText: '讨薪' }).first().waitFor();
    await sup.locator('.kb-list-item', { hasText: '老板拖欠工资不给' }).click();
    await sup.getByRole('button', { name: '编辑', exact: true }).click();
    await sup.getByText('当前版本 1').waitFor();
    const answer = sup.getByLabel('标准答复');
    await answer.fill(`${await answer.inputValue()}\n6. 本市劳动保障监察投诉电话:12333 转 2 号键。`);
    await sup.getByRole('button', { name: '保存修改' }).click();
    await sup.getByText('已保存,当前版本 2').waitFor();
    await sup
      .locator('.kb-entry-meta')
      .getByText(/版本 2 ·/)
      .waitFor();
    await sup.screenshot({ path: path.join(shots, 'knowledge.png') });

    const seat = await signIn('seat06');
    await seat.getByText('坐席工作台').first().waitFor();
    await seat.getByRole('button', { name: '知识库', exact: true }).click();
    const queries: string[] = [];
    seat.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/knowledge') queries.push(url.searchParams.get('q') ?? '');
    });
    await seat.getByRole('searchbox', { name: '搜索知识库' }).click();
    // Type as a pinyin input method does: a composition that grows, then the chosen characters.
    const cdp = await seat.context().newCDPSession(seat);
    for (const pinyin of ['jian', 'jiancha', 'jiancha tousu', 'jiancha tousu dianhua']) {
      await cdp.send('Input.imeSetComposition', { text: pinyin, selectionStart: pinyin.length, selectionEnd: pinyin.length });
      await seat.waitForTimeout(150);
    }
    await seat.waitForTimeout(600); // twice the debounce: nothing may be sent mid-composition
    expect(queries.filter((q) => /[a-z]/i.test(q))).toEqual([]);
    await cdp.send('Input.insertText', { text: '监察投诉电话' });
    const hit = seat.locator('.kb-list-item', { hasText: '老板拖欠工资不给' });
    await hit.waitFor();
    // The answer marks what the search looked for: the typed phrase's words (监察, 投诉, 电话…).
    await hit.locator('mark').first().waitFor();
    const marks = await hit.locator('mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect('监察投诉电话').toContain(m);
    expect(queries.at(-1)).toBe('监察投诉电话');
    // A seat reads, and cannot edit.
    await hit.click();
    await seat.locator('.kb-entry').getByText('12333 转 2 号键', { exact: false }).waitFor();
    expect(await seat.getByRole('button', { name: '编辑', exact: true }).count()).toBe(0);
    await seat.screenshot({ path: path.join(shots, 'knowledge-seat.png') });
    await sup.close();
    await seat.close();
  });
});

describe('major matters', () => {
  it("when a seat lawyer reports a major matter, the supervisor's monitor should show it at once, and 确认 should clear it", async () => {
    const sup = await signIn('supervisor');
    await sup.getByText(/数据更新于/).waitFor();
    const seat = await signIn('seat03');
    await seat.getByText('坐席工作台').first().waitFor();

    // s03 answers whichever call the engine gives it (earlier tests may have left callers waiting).
    srv.app.engine.offerCall({ id: 'e2e-major', caller: '13700004321', dialed: '12348', ivrCode: '3' });
    srv.app.engine.setSeatReady('s03');
    await expect.poll(() => srv.app.engine.getSeat('s03').state.kind).toBe('ringing');
    const ringing = srv.app.engine.getSeat('s03').state;
    const callId = ringing.kind === 'ringing' ? ringing.callId : '';
    srv.app.engine.answered(callId, 's03');
    const caller = srv.app.engine.getCall(callId)!.caller;
    // During the call the workbench's knowledge panel suggests the call category's standard answers.
    await seat.locator('.knowledge-panel .kb-hit').first().waitFor();
    await seat.screenshot({ path: path.join(shots, 'seat-knowledge-panel.png') });

    const note = '来电人称 30 余名工友被拖欠工资,准备明天到市政府门口聚集';
    const status = await seat.evaluate(
      async ({ id, text }) => {
        const res = await fetch(`/api/calls/${encodeURIComponent(id)}/major-report`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ note: text }),
        });
        return res.status;
      },
      { id: callId, text: note },
    );
    expect(status).toBe(201);
    const reportedAt = Date.now();
    const card = sup.locator('.major-alert', { hasText: note });
    await card.waitFor({ timeout: 2_000 });
    expect(Date.now() - reportedAt).toBeLessThan(2_000);
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('张伟');
    expect(text).toContain(`${caller.slice(0, 3)}****${caller.slice(-4)}`);
    expect(await sup.content()).not.toContain(caller);
    await expect.poll(() => sup.title(), { timeout: 3_000 }).toContain('重大事项');
    await sup.screenshot({ path: path.join(shots, 'monitor-alert.png') });

    await card.getByRole('button', { name: /^确认/ }).click();
    await card.waitFor({ state: 'detached' });
    expect(await sup.locator('.alerts-panel').count()).toBe(0);
    await expect.poll(() => sup.title()).not.toContain('重大事项');
    await sup.close();
    await seat.close();
  });
});

describe('call summary (小结) without telephony', () => {
  it('when a seat lawyer types during the call and reloads in wrap-up, the draft should survive, 完成整理 should wait for filing, and 我的来电 should list the call', async () => {
    const page = await signIn('seat05');
    await page.getByText('坐席工作台').first().waitFor();
    srv.app.engine.offerCall({ id: 'e2e-summary', caller: '13600002222', dialed: '12348', ivrCode: '5' });
    await page.getByRole('button', { name: '就绪' }).click();
    await expect.poll(() => srv.app.engine.getSeat('s05').state.kind).toBe('ringing');
    const st = srv.app.engine.getSeat('s05').state;
    const callId = st.kind === 'ringing' ? st.callId : '';
    await page.getByRole('region', { name: '来电弹屏' }).waitFor();
    await page.getByText('历史来电').waitFor();
    srv.app.engine.answered(callId, 's05');

    // Typed during the call; the draft reaches the server after a pause.
    await page.getByLabel('主题').fill('加班费计算');
    await page.getByLabel('来电问题').fill('每天加班两小时,公司只按基本工资算加班费');
    await page.getByText(/草稿已保存 \d\d:\d\d:\d\d/).waitFor();
    srv.app.engine.hangup(callId, 'caller');
    await page.getByRole('region', { name: '话后整理' }).waitFor();
    expect(await page.getByRole('button', { name: '完成整理' }).isDisabled()).toBe(true);
    await page.getByText('请先提交小结,提交后才能完成整理').waitFor();

    // Typing, then a reload at once: nothing is lost.
    await page.getByLabel('解答内容').fill('加班费以劳动合同约定的工资为基数,平日延时加班不低于 150%。');
    await page.reload();
    await page.getByRole('region', { name: '话后整理' }).waitFor();
    await expect.poll(() => page.getByLabel('解答内容').inputValue()).toContain('不低于 150%');
    expect(await page.getByLabel('主题').inputValue()).toBe('加班费计算');

    await page.getByLabel('处理结果').selectOption({ label: '当场解答' });
    await page.getByLabel('解答内容').press('Control+Enter');
    await page.getByText(/小结已提交 \d\d:\d\d:\d\d/).waitFor();
    await page.screenshot({ path: path.join(shots, 'seat-summary-filed.png') });
    await page.getByRole('button', { name: '完成整理' }).click();
    await expect.poll(() => srv.app.engine.getSeat('s05').state.kind).toBe('ready');

    await page.getByRole('button', { name: '我的来电' }).click();
    const row = page.getByRole('row', { name: /加班费计算/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('136****2222');
    await row.getByRole('button', { name: '修改' }).click();
    await page.getByLabel('主题').fill('加班费计算基数');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByText(/第 2 版/).waitFor();
    await page.screenshot({ path: path.join(shots, 'my-calls.png') });
    await page.close();
  });
});
