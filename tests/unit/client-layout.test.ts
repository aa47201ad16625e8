import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The client's shape (features/<feature>, shared/, app/ with one composition root), checked on the source. */
const SRC = fileURLToPath(new URL('../../client/src/', import.meta.url));

function sources(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

const rel = (p: string) => path.relative(SRC, p).replaceAll(path.sep, '/');
const files = sources().map((p) => ({ file: rel(p), text: fs.readFileSync(p, 'utf8') }));
const imports = (text: string) => [...text.matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1]!);

describe('client layout', () => {
  it('has one composition root: only app/root.ts creates the api client and the controllers', () => {
    const creators =
      /\bcreate(Api|SessionController|TransferController|SummaryController|KnowledgeController|AlertsController|LazyPhone|BrowserPhone)\(/;
    const callers = files.filter((f) => creators.test(f.text.replace(/export function create\w+\(/g, ''))).map((f) => f.file);
    expect(callers).toEqual(['app/root.ts']);
  });

  it('pages and components never call the http api: they use their feature controller or store actions', () => {
    const offenders = files
      .filter((f) => f.file.endsWith('.tsx'))
      .filter((f) => /\bimport\s*\{[^}]*\bapi\b[^}]*\}\s*from/.test(f.text) || imports(f.text).some((s) => s.endsWith('shared/api')))
      .map((f) => f.file);
    expect(offenders).toEqual([]);
  });

  it('imports JsSIP in the phone adapter only, which nothing imports statically but the lazily loaded phone', () => {
    expect(files.filter((f) => imports(f.text).some((s) => s === 'jssip' || s.startsWith('jssip/'))).map((f) => f.file)).toEqual([
      'features/phone/jssip-adapter.ts',
    ]);
    const staticImporters = files.filter((f) => /from\s+'[^']*jssip-adapter'/.test(f.text)).map((f) => f.file);
    expect(staticImporters).toEqual(['features/phone/browser.ts']);
    const browserImporters = files.filter((f) => /from\s+'[^']*phone\/browser'/.test(f.text)).map((f) => f.file);
    expect(browserImporters).toEqual([]);
  });

  it('defines assertNever and the China-time offset once', () => {
    expect(files.filter((f) => /function assertNever\(/.test(f.text)).map((f) => f.file)).toEqual([]); // the vocabulary's, through the contract
    expect(files.filter((f) => /8 \* 3600_?000/.test(f.text)).map((f) => f.file)).toEqual(['shared/format.ts']);
    expect(files.filter((f) => /new (window\.)?AudioContext|\.createOscillator\(/.test(f.text)).map((f) => f.file)).toEqual([
      'shared/tone.ts',
    ]);
  });

  it('keeps every source file under about 500 lines', () => {
    const long = files.filter((f) => f.text.split('\n').length > 500).map((f) => f.file);
    expect(long).toEqual([]);
  });
});
