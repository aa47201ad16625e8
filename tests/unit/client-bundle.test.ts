import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { build, type Rollup } from 'vite';

const config = fileURLToPath(new URL('../../client/vite.config.ts', import.meta.url));
/** Vite warns about chunks over 500 kB (minified); the build must print no such warning. */
const WARN_LIMIT = 500 * 1024;

type Chunk = Rollup.OutputChunk;

async function bundle(): Promise<Chunk[]> {
  // Vitest sets NODE_ENV=test, which makes Vite bundle React's development build; measure
  // the production build that `npm run build` ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const out = await build({
    configFile: config,
    logLevel: 'silent',
    mode: 'production',
    build: { write: false, emptyOutDir: false },
  }).finally(() => {
    process.env.NODE_ENV = nodeEnv;
  });
  const outputs = (Array.isArray(out) ? out : [out]) as Rollup.RolldownOutput[];
  return outputs.flatMap((o) => o.output).filter((c): c is Chunk => c.type === 'chunk');
}

/** The chunks the browser fetches for `start` before any dynamic import runs. */
function staticClosure(chunks: Chunk[], start: Chunk): Set<string> {
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const seen = new Set<string>();
  const visit = (c: Chunk) => {
    if (seen.has(c.fileName)) return;
    seen.add(c.fileName);
    for (const dep of c.imports) {
      const next = byName.get(dep);
      if (next) visit(next);
    }
  };
  visit(start);
  return seen;
}

const hasModule = (c: Chunk, part: string) => c.moduleIds.some((id) => id.replaceAll('\\', '/').includes(part));

describe('client bundle', () => {
  it('loads JsSIP and each page lazily, and no chunk is large enough to warn about', async () => {
    const chunks = await bundle();
    const entry = chunks.find((c) => c.isEntry);
    expect(entry).toBeDefined();
    const jssip = chunks.filter((c) => hasModule(c, '/node_modules/jssip/'));
    expect(jssip.length).toBeGreaterThan(0);
    const jssipFiles = new Set(jssip.map((c) => c.fileName));

    const login = chunks.find((c) => c.facadeModuleId?.endsWith('/features/session/LoginPage.tsx'));
    expect(login, 'the login page is a chunk of its own').toBeDefined();
    expect(login!.isDynamicEntry).toBe(true);
    const loginPage = new Set([...staticClosure(chunks, entry!), ...staticClosure(chunks, login!)]);
    for (const file of jssipFiles) expect(loginPage.has(file), `${file} (JsSIP) loads with the login page`).toBe(false);

    for (const page of [
      'workbench/SeatPage',
      'monitor/MonitorPage',
      'my-calls/MyCallsPage',
      'knowledge/KnowledgePage',
      'reports/ReportsPage',
    ]) {
      const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(`/features/${page}.tsx`));
      expect(chunk?.isDynamicEntry, `${page} loads lazily`).toBe(true);
      // Only the phone's own chunk brings JsSIP, and no page pulls it in statically.
      for (const file of staticClosure(chunks, chunk!)) expect(jssipFiles.has(file), `${page} imports JsSIP statically`).toBe(false);
    }

    for (const c of chunks) expect(c.code.length, `${c.fileName} is over Vite's chunk-size warning`).toBeLessThan(WARN_LIMIT);
  });
});
