import { createElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Ack, SurveyChoiceView } from '../../../client/src/contract';
import { SurveyToggle } from '../../../client/src/features/workbench/SurveyToggle';
import { click, Screen, settled } from '../support/summary-dom';

/** The call card's 挂机后转满意度评价 box: the policy and the seat's choice for its call. */
let screen: Screen | null = null;
afterEach(() => {
  screen?.close();
  screen = null;
  vi.unstubAllGlobals();
});

function server(view: SurveyChoiceView, put: (enabled: boolean) => Ack<SurveyChoiceView>) {
  const log: { method: string; path: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    log.push({ method, path: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, body });
    const ack = method === 'PUT' ? put((body as { enabled: boolean }).enabled) : { ok: true, data: view };
    return new Response(JSON.stringify(ack), { status: ack.ok ? 200 : 409, headers: { 'Content-Type': 'application/json' } });
  });
  return log;
}

async function show(): Promise<HTMLInputElement> {
  screen = new Screen();
  screen.show(() => createElement(SurveyToggle, { callId: 'c1' }));
  await settled();
  return screen.field('挂机后转满意度评价');
}

describe('the survey toggle', () => {
  it('policy seat: on by default; the seat switches it off for this call', async () => {
    const log = server({ callId: 'c1', policy: 'seat', enabled: true, changeable: true }, (enabled) => ({
      ok: true,
      data: { callId: 'c1', policy: 'seat', enabled, changeable: true },
    }));
    const box = await show();
    expect(box.checked).toBe(true);
    expect(box.disabled).toBe(false);
    click(box);
    await settled();
    expect(log.at(-1)).toEqual({ method: 'PUT', path: '/api/calls/c1/survey', body: { enabled: false } });
    expect(screen!.field<HTMLInputElement>('挂机后转满意度评价').checked).toBe(false);
  });

  it('policy always: shown on and greyed, with the policy said', async () => {
    server({ callId: 'c1', policy: 'always', enabled: true, changeable: false }, () => ({
      ok: false,
      error: { code: 'CONFLICT', message: 'x' },
    }));
    const box = await show();
    expect(box.checked).toBe(true);
    expect(box.disabled).toBe(true);
    expect(screen!.text()).toContain('每通电话挂机后转满意度评价');
  });

  it('a refused change says why and keeps the box as it was', async () => {
    server({ callId: 'c1', policy: 'seat', enabled: true, changeable: true }, () => ({
      ok: false,
      error: { code: 'CONFLICT', message: '这通电话不在通话中' },
    }));
    const box = await show();
    click(box);
    await settled();
    expect(screen!.host.querySelector('[role="alert"]')?.textContent).toContain('这通电话不在通话中');
    expect(screen!.field<HTMLInputElement>('挂机后转满意度评价').checked).toBe(true);
  });
});
