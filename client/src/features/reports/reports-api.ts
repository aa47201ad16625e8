import type { Ack, ReportView } from '../../contract';
import { errorMessage, NETWORK_ERROR } from '../../shared/errors';

/** The report page's filters, as the query string the server reads. */
export interface ReportFilters {
  from: string;
  to: string;
  centre: string;
  category: string;
  seat: string;
  hour: string;
  weekday: string;
}

export function reportQuery(f: ReportFilters): string {
  const p = new URLSearchParams({ from: f.from, to: f.to });
  if (f.centre) p.set('centres', f.centre);
  if (f.category) p.set('categories', f.category);
  if (f.seat) p.set('seats', f.seat);
  if (f.hour) p.set('hours', f.hour);
  if (f.weekday) p.set('weekdays', f.weekday);
  return p.toString();
}

export async function fetchReport(f: ReportFilters): Promise<Ack<ReportView>> {
  try {
    const res = await fetch(`/api/reports/figures?${reportQuery(f)}`, { credentials: 'same-origin' });
    return (await res.json()) as Ack<ReportView>;
  } catch {
    return { ok: false, error: NETWORK_ERROR };
  }
}

export interface DownloadProgress {
  bytes: number;
  /** Rows received so far (CSV only: counted line ends) and the rows announced. */
  rows: number | null;
  totalRows: number | null;
}

/** What the page says when a download breaks off half-way (no partial file is saved). */
export const EXPORT_CUT_SHORT = '导出中断:文件未完整下载,未保存。请稍后重试';

/** The file name the server gave in Content-Disposition (filename*). */
function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  return m ? decodeURIComponent(m[1]!) : fallback;
}

/**
 * Downloads an export while reporting progress, then hands it to the browser as a file. A refusal
 * (JSON error) is returned as the error message.
 */
export async function downloadExport(url: string, onProgress: (p: DownloadProgress) => void): Promise<string | null> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin' });
  } catch {
    return NETWORK_ERROR.message;
  }
  if (!res.ok || !res.body) {
    try {
      const body = (await res.json()) as Ack<unknown>;
      return body.ok ? '导出失败' : errorMessage(body.error);
    } catch {
      return `导出失败(HTTP ${res.status})`;
    }
  }
  const totalRows = res.headers.get('x-total-rows');
  const csv = (res.headers.get('content-type') ?? '').includes('text/csv');
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let bytes = 0;
  let lines = 0;
  let prev = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      bytes += value.length;
      // A record ends with CRLF; a summary's own line breaks (LF alone, quoted) are not rows.
      if (csv)
        for (let i = 0; i < value.length; i++) {
          if (value[i] === 10 && prev === 13) lines++;
          prev = value[i]!;
        }
      onProgress({ bytes, rows: csv ? Math.max(0, lines - 1) : null, totalRows: totalRows === null ? null : Number(totalRows) });
    }
  } catch {
    // The server cut the file short (it failed after the download began) or the network dropped:
    // nothing half-written is handed to the browser.
    return EXPORT_CUT_SHORT;
  }
  const blob = new Blob(parts as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileNameOf(res, 'export');
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
  return null;
}
