import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bundled = new Map<string, string>();

/**
 * A TypeScript entry point made runnable by plain `node`: bundled once per process with esbuild
 * (the project's own code inlined, packages left as imports) into `node_modules/.cache/hotline/`,
 * where those imports resolve. A child process started from it needs no TypeScript loader (tsx
 * would add a loader thread and its compiled modules, about 35 MB, to every child). The file name
 * is the content's hash, so routers running side by side share or never clash over it.
 * Compiled JavaScript (an entry already ending in `.js`) is returned as it is.
 */
export function runnableEntry(entryUrl: URL): string {
  const entry = fileURLToPath(entryUrl);
  if (!entry.endsWith('.ts')) return entry;
  const known = bundled.get(entry);
  if (known && fs.existsSync(known)) return known;
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    write: false,
    logLevel: 'silent',
  });
  const text = out.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const dir = path.join(path.dirname(path.dirname(require.resolve('esbuild/package.json'))), '.cache', 'hotline');
  const file = path.join(dir, `${path.basename(entry, '.ts')}-${hash}.mjs`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
  bundled.set(entry, file);
  return file;
}
