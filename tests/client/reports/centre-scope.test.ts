/**
 * The reports page's 中心 filter offers only the centres in the user's scope (the server says which
 * with each report: a centre outside it would be refused), every centre for the city's staff.
 */
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReportView } from '../../../client/src/contract';
import { appStore } from '../../../client/src/app/store';
import { ReportsPage } from '../../../client/src/features/reports/ReportsPage';
import { buildReport, WAIT_BUCKETS_S } from '../../../server/src/domain/stats/report';
import { reportView } from '../../../server/src/features/reports/report-views';
import { reference, user } from '../support/fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

vi.mock('../../../client/src/features/reports/Charts', () => ({ ReportCharts: () => null, StaffingChart: () => null }));

/** An empty report of the range, as the server sends it, with the user's scope. */
function emptyReport(scopeCentres: string[] | null): ReportView {
  const opts = { serviceLevelThresholdS: 20, shortAbandonS: 5, utcOffsetMinutes: 480, seatCentre: () => null };
  const view = reportView(
    buildReport([], opts),
    { from: '2026-12-01', to: '2026-12-07', centres: scopeCentres, opts, config: { categories: [], centres: [] } as never, seats: [] },
    WAIT_BUCKETS_S,
  );
  return { ...view, scopeCentres } as ReportView;
}

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  appStore.getState().signedIn(user('manager'));
  appStore.getState().setReference(reference);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  appStore.getState().signedOut();
  vi.unstubAllGlobals();
});

async function centresOffered(scopeCentres: string[] | null): Promise<string[]> {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) =>
      String(url).startsWith('/api/reports/figures')
        ? Response.json({ ok: true, data: emptyReport(scopeCentres) })
        : Response.json({ ok: false, error: { code: 'NOT_FOUND', message: '' } }),
    ),
  );
  act(() => root.render(createElement(ReportsPage)));
  await act(async () => new Promise<void>((r) => setTimeout(r, 0)));
  const select = [...host.querySelectorAll('label')].find((l) => l.textContent?.startsWith('中心'))!.querySelector('select')!;
  return [...select.options].map((o) => o.textContent ?? '');
}

describe('统计报表: the 中心 filter', () => {
  it('a manager of 东区 is offered 东区 alone', async () => {
    expect(await centresOffered(['east'])).toEqual(['全部(本人范围内)', '东区中心']);
  });

  it('the city’s duty manager (no scope) is offered every centre', async () => {
    expect(await centresOffered(null)).toEqual(['全部(本人范围内)', '市中心', '东区中心']);
  });
});
