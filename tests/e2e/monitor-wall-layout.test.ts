/**
 * The supervisor's monitor on the screens it is shown on (issue 12, 坐席墙 readable on a wall
 * display): the built console served by a real router (no telephony: the layout depends only on
 * the seats' states), headless Chromium as the supervisor. At 1920×1080 the demo's 18 seats, the
 * queue, the alerts and the live figures are in view without scrolling; 60 seats switch the wall
 * to one-line cards that still all fit; on a laptop the 18 seats fit the wall on one-line cards
 * that still name each call's category, and nothing is cut off; on a 4K display the 1.5× layout
 * keeps every card in view.
 *
 * README's screenshots: SCREENSHOT_DIR=docs/screenshots npx vitest run tests/e2e/monitor-wall-layout.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { addSeats, busyFloor, busyMore } from '../support/busy-floor.js';
import { signInWall } from '../support/console-page.js';
import { startTestServer, type TestServer } from '../support/server.js';

const DIST = path.resolve(process.env.CLIENT_DIST ?? 'client/dist');
const POLL = { timeout: 15_000, interval: 100 };
const shots = '.run/screenshots';
/** The pictures README shows; the others stay in .run/screenshots for looking at. */
const README_SHOTS = ['monitor-wall-1920.png', 'monitor-wall-60-1920.png', 'monitor-wall-one-line-1366.png'];
fs.mkdirSync(shots, { recursive: true });

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, name) });
  const dir = process.env.SCREENSHOT_DIR;
  if (dir && README_SHOTS.includes(name)) fs.copyFileSync(path.join(shots, name), path.join(dir, name));
}

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error(`No built client in ${DIST}: run npm run build first.`);
  [server, browser] = await Promise.all([startTestServer({ env: { CLIENT_DIST: DIST } }), launchChromium()]);
  busyFloor(server);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Box = { x: number; y: number; width: number; height: number };
const box = async (l: Locator): Promise<Box> => {
  const b = await l.boundingBox();
  if (!b) throw new Error(`${l.toString()} is not shown`);
  return b;
};
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 1 &&
  inner.y >= outer.y - 1 &&
  inner.x + inner.width <= outer.x + outer.width + 1 &&
  inner.y + inner.height <= outer.y + outer.height + 1;

/** The page's scrolled height beyond the window (the shell's content area scrolls, not the document). */
const pageOverflow = (page: Page) =>
  page.evaluate(() => {
    const c = document.querySelector('.content')!;
    return c.scrollHeight - c.clientHeight;
  });

async function expectInView(page: Page, l: Locator, what: string) {
  const vp = page.viewportSize()!;
  expect(inside(await box(l), { x: 0, y: 0, width: vp.width, height: vp.height }), what).toBe(true);
}

const cards = (page: Page) => page.locator('.seat-card');
const card = (page: Page, id: string) => page.locator(`.seat-card[data-seat-id="${id}"]`);
/** busyFloor's talking seats and their calls' categories, shortened for a one-line card. */
const TALKING: [seat: string, category: string, short: string][] = [
  ['s01', '婚姻家庭与继承', '婚姻家庭'],
  ['s03', '合同与债务', '合同'],
  ['s05', '交通事故与人身损害', '交通事故'],
  ['s07', '涉外与外语', '涉外'],
  ['s09', '消费者权益', '消费者权益'],
  ['s12', '医疗纠纷', '医疗纠纷'],
  ['s15', '劳动与社会保障', '劳动'],
  ['s17', '刑事', '刑事'],
];
/** The text inside an element is cut off (an ellipsis, or clipped). */
const clipped = (l: Locator) => l.evaluate((el) => el.scrollWidth > el.clientWidth);
const density = (page: Page) => page.locator('.seat-cards').getAttribute('data-density');

describe('the seat wall on wall displays and laptops', () => {
  it('at 1920×1080 all 18 seats, the queue, the alerts and the live figures are in view without scrolling; each card shows state, name, time and category', async () => {
    const page = await signInWall(browser, server.url, 'supervisor');
    await expect.poll(() => cards(page).count(), POLL).toBe(18);
    await expect.poll(() => pageOverflow(page), POLL).toBeLessThanOrEqual(0);
    // roomy or compact cards, never the one-line ones, for the demo's floor
    expect(['roomy', 'compact']).toContain(await density(page));
    await expectInView(page, page.getByRole('region', { name: '告警' }), 'the alerts');
    await expectInView(page, page.locator('.counts'), 'the live counts');
    await expectInView(page, page.getByRole('region', { name: '实时指标' }), 'the live figures');
    const rows = page.locator('tr[data-call-id]');
    expect(await rows.count()).toBeGreaterThan(0);
    for (const r of await rows.all()) await expectInView(page, r, 'a waiting call');
    for (const c of await cards(page).all()) {
      await expectInView(page, c, `seat card ${await c.getAttribute('data-seat-id')}`);
      const card = await box(c);
      for (const part of ['.seat-name', '.seat-state-label', '.seat-time']) {
        expect(inside(await box(c.locator(part)), card), part).toBe(true);
      }
    }
    // A talking seat's card names the call's category, inside the card.
    const talking = page.locator('.seat-card[data-seat-id="s01"]');
    expect(await talking.locator('.seat-state-label').textContent()).toContain('通话');
    const category = talking.locator('.seat-card-call');
    expect(await category.textContent()).toContain('婚姻家庭与继承');
    expect(inside(await box(category), await box(talking))).toBe(true);
    // A not-ready seat says why.
    expect(await page.locator('.seat-card[data-seat-id="s02"] .seat-state-label').textContent()).toBe('示忙 · 会议');
    await shot(page, 'monitor-wall-1920.png');
    // An opened card grows to hold its actions, inside the card and not under the next row.
    const opened = page.locator('.seat-card[data-seat-id="s06"]');
    await opened.locator('.seat-card-main').click();
    const action = opened.getByRole('button', { name: '发消息' });
    await action.click();
    await opened.getByLabel('消息内容').waitFor();
    expect(inside(await box(opened.getByRole('dialog')), await box(opened))).toBe(true);
    await page.close();
  });

  it("at 1920×1080 with a waiting call's detail open, the queue, the detail and the seat wall stand side by side, every seat card in view", async () => {
    const page = await signInWall(browser, server.url, 'supervisor');
    await expect.poll(() => cards(page).count(), POLL).toBe(18);
    await page.locator('tr[data-call-id]').first().locator('button').click();
    const detail = page.getByRole('complementary', { name: '来电详情' });
    await detail.waitFor();
    await expectInView(page, detail, 'the call detail');
    const wall = await box(page.getByRole('region', { name: '坐席状态' }));
    const detailBox = await box(detail);
    expect(wall.x, 'the wall beside the detail').toBeGreaterThanOrEqual(detailBox.x + detailBox.width);
    for (const c of await cards(page).all()) await expectInView(page, c, `seat card ${await c.getAttribute('data-seat-id')}`);
    await page.close();
  });

  for (const [width, height] of [
    [1366, 768],
    [1280, 720],
  ] as const) {
    it(`at ${width}×${height} the page and the wall scroll, but no seat card, queue column or filter is cut off at the side`, async () => {
      const page = await signInWall(browser, server.url, 'supervisor');
      await page.setViewportSize({ width, height });
      await expect.poll(() => cards(page).count(), POLL).toBe(18);
      const wall = page.getByRole('region', { name: '坐席状态' });
      await wall.scrollIntoViewIfNeeded();
      const wallBox = await box(wall);
      expect(wallBox.x + wallBox.width).toBeLessThanOrEqual(width);
      await expectInView(page, wall.getByRole('group', { name: '筛选坐席' }), 'the wall filters');
      const queue = page.locator('section', { has: page.getByRole('columnheader', { name: '状态', exact: true }) }).first();
      const stateHeader = await box(page.getByRole('columnheader', { name: '状态', exact: true }).first());
      const queueBox = await box(queue);
      expect(stateHeader.x + stateHeader.width).toBeLessThanOrEqual(queueBox.x + queueBox.width);
      for (const c of await cards(page).all()) {
        await c.scrollIntoViewIfNeeded();
        await expectInView(page, c, `seat card ${await c.getAttribute('data-seat-id')}`);
        const card = await box(c);
        expect(inside(card, await box(wall))).toBe(true);
        for (const part of ['.seat-name', '.seat-state-label', '.seat-time']) {
          expect(inside(await box(c.locator(part)), card), part).toBe(true);
        }
      }
      await shot(page, `monitor-wall-${width}.png`);
      await page.close();
    });
  }

  for (const [width, height] of [
    [1366, 768],
    [1280, 720],
  ] as const) {
    it(`at ${width}×${height} the 18 seats fit the wall on one-line cards, and a talking seat's card still names its call's category beside the state and time`, async () => {
      const page = await signInWall(browser, server.url, 'supervisor');
      await page.setViewportSize({ width, height });
      await expect.poll(() => cards(page).count(), POLL).toBe(18);
      await expect.poll(() => density(page), POLL).toBe('tiny');
      // The wall does not scroll inside itself: scrolled to, it shows every seat at once.
      const list = page.locator('.seat-cards');
      expect(await list.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(0);
      const wall = page.getByRole('region', { name: '坐席状态' });
      await wall.scrollIntoViewIfNeeded();
      for (const c of await cards(page).all()) {
        const id = await c.getAttribute('data-seat-id');
        await expectInView(page, c, `seat card ${id}`);
        const cardBox = await box(c);
        for (const part of ['.seat-name', '.seat-state-label', '.seat-time']) {
          expect(inside(await box(c.locator(part)), cardBox), `${id} ${part}`).toBe(true);
          expect(await clipped(c.locator(part)), `${id} ${part} cut off`).toBe(false);
        }
      }
      for (const [id, category, short] of TALKING) {
        const c = card(page, id);
        expect(await c.locator('.seat-state-label').innerText()).toBe('通话');
        const cat = c.locator('.seat-card-call');
        expect(await cat.isVisible(), `${id}'s category`).toBe(true);
        expect(await cat.textContent()).toBe(short);
        expect(await c.locator('.seat-card-main').getAttribute('title')).toContain(category);
        // in the card, after the state and before the time, and at least two characters of it shown
        const [catBox, labelBox, timeBox] = await Promise.all([
          box(cat),
          box(c.locator('.seat-state-label')),
          box(c.locator('.seat-time')),
        ]);
        expect(inside(catBox, await box(c)), `${id}'s category inside its card`).toBe(true);
        expect(catBox.x).toBeGreaterThanOrEqual(labelBox.x + labelBox.width - 1);
        expect(catBox.x + catBox.width).toBeLessThanOrEqual(timeBox.x + 1);
        const fontPx = await cat.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
        expect(catBox.width, `${id}'s category shows two characters`).toBeGreaterThanOrEqual(2 * fontPx - 1);
        if (short.length <= 2) expect(await clipped(cat), `${id}'s ${short} cut off`).toBe(false);
      }
      await shot(page, `monitor-wall-one-line-${width}.png`);
      await page.close();
    });
  }

  it('with 60 seats the wall switches to one-line cards: at 1920×1080 every seat is in view with its state by colour and text; at 4K too', async () => {
    busyMore(server, await addSeats(server, 60));
    const page = await signInWall(browser, server.url, 'supervisor');
    await expect.poll(() => cards(page).count(), POLL).toBe(60);
    await expect.poll(() => density(page), POLL).toBe('tiny');
    await expect.poll(() => pageOverflow(page), POLL).toBeLessThanOrEqual(0);
    await expectInView(page, page.getByRole('region', { name: '实时指标' }), 'the live figures');
    for (const c of await cards(page).all()) {
      await expectInView(page, c, `seat card ${await c.getAttribute('data-seat-id')}`);
      const label = c.locator('.seat-state-label');
      expect(inside(await box(label), await box(c))).toBe(true);
      expect((await label.innerText()).trim()).toMatch(/^(就绪|振铃|通话|话后整理|示忙|离线)$/);
    }
    // The colour says the state: a talking card and a signed-out one differ.
    const border = (id: string) => page.locator(`.seat-card[data-seat-id="${id}"]`).evaluate((el) => getComputedStyle(el).borderLeftColor);
    expect(await border('s01')).not.toBe(await border('s18'));
    // A talking seat's one-line card keeps its call's category, inside the card and before the time.
    const talking = card(page, 's01');
    const category = await box(talking.locator('.seat-card-call'));
    expect(inside(category, await box(talking))).toBe(true);
    expect(category.x + category.width).toBeLessThanOrEqual((await box(talking.locator('.seat-time'))).x + 1);
    await shot(page, 'monitor-wall-60-1920.png');

    await page.setViewportSize({ width: 3840, height: 2160 });
    await expect.poll(() => pageOverflow(page), POLL).toBeLessThanOrEqual(0);
    for (const c of await cards(page).all()) await expectInView(page, c, `seat card ${await c.getAttribute('data-seat-id')}`);
    await shot(page, 'monitor-wall-60-4k.png');
    await page.close();
  });
});
