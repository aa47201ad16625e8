import { describe, expect, it, vi } from 'vitest';
import { downloadExport, EXPORT_CUT_SHORT } from '../../../client/src/features/reports/reports-api';

/** A response whose body delivers one chunk, then breaks off (the server cut the download short). */
function brokenDownload(): Response {
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(new TextEncoder().encode('\uFEFF通话编号,来电时间\r\nC1,2026-12-01 08:00:00\r\n'));
      } else controller.error(new TypeError('network error'));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'x-total-rows': '5000' } });
}

describe('downloadExport', () => {
  it('a download that breaks off half-way ends with a zh-CN message, and no file is saved', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => brokenDownload()),
    );
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    const progress: number[] = [];
    try {
      const err = await downloadExport('/api/reports/export/calls.csv?from=2026-12-01&to=2026-12-07', (p) => progress.push(p.bytes));
      expect(err).toBe(EXPORT_CUT_SHORT);
      expect(progress.length).toBeGreaterThan(0);
      expect(click).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
      click.mockRestore();
    }
  });

  it("a refusal before the download is the server's message", async () => {
    const refusal = { ok: false, error: { code: 'VALIDATION', message: '统计范围最长 400 天' } };
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(refusal), { status: 400, headers: { 'content-type': 'application/json' } })),
    );
    try {
      expect(await downloadExport('/api/reports/export/day.csv?from=2020-01-01&to=2026-12-07', () => undefined)).toBe(
        '统计范围最长 400 天',
      );
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('downloadExport progress', () => {
  it('counts CSV records, not the line breaks inside a quoted summary, across chunk boundaries', async () => {
    const chunks = ['\uFEFF通话编号,解答内容\r', '\nC1,"第一行\n第二行\n第三行"\r\nC2,', '"甲\n乙"\r\n'];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'x-total-rows': '2' } })),
    );
    // The finished file is handed to the browser through an object URL (not in jsdom).
    const created = vi.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: () => undefined });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const rows: (number | null)[] = [];
    try {
      expect(await downloadExport('/api/reports/export/calls.csv?from=2026-12-01&to=2026-12-01', (p) => rows.push(p.rows))).toBeNull();
      expect(rows.at(-1)).toBe(2);
      expect(Math.max(...rows.map((r) => r ?? 0))).toBe(2);
      expect(created).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
      click.mockRestore();
    }
  });
});
