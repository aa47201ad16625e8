import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  COMMAND_EVENTS,
  COMMAND_SCHEMAS,
  FACT_EVENTS,
  type CallRecordView,
  type ClientToServerEvents,
  type CommandListener,
  type FactName,
  type SeatStateView,
  type ServerToClientEvents,
} from '../../server/src/contract/index.js';
import type { CallRecord } from '../../server/src/domain/call-record.js';
import type { CallState } from '../../server/src/domain/call.js';
import type { DomainErrorCode } from '../../server/src/domain/errors.js';
import type { SeatState } from '../../server/src/domain/seat.js';
import type { CallStateKind, ErrorCode, SeatStateKind } from '../../server/src/vocabulary/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CONTRACT = 'server/src/contract';
const VOCABULARY = 'server/src/vocabulary';

/** Files under `dir` (relative to the repository) whose names end in one of `exts`. */
function filesUnder(dir: string, exts: string[]): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && exts.some((x) => e.name.endsWith(x)) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Every module specifier a source file names, type-only imports and re-exports included. */
function specifiers(file: string): string[] {
  const src = readFileSync(join(root, file), 'utf8');
  const statements = /^(?:import|export)\b[^;]*?\bfrom\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]/gm;
  return [...src.matchAll(statements)].map((m) => (m[1] ?? m[2])!);
}

/** The repository files a module specifier of `file` resolves to ('zod' and other packages stay as named). */
function resolved(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(root, join(root, file, '..', spec)).replace(/\.js$/, '.ts');
}

describe('contract boundary', () => {
  it("when the whole client is bundled, should reach no server file but the contract's and the vocabulary's", async () => {
    const entryPoints = filesUnder('client/src', ['.ts', '.tsx']);
    const result = await build({
      absWorkingDir: root,
      entryPoints,
      bundle: true,
      write: false,
      outdir: 'out',
      metafile: true,
      format: 'esm',
      platform: 'browser',
      packages: 'external',
      loader: { '.css': 'empty', '.svg': 'empty', '.png': 'empty', '.wav': 'empty', '.mp3': 'empty' },
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain(`${CONTRACT}/index.ts`);
    const server = inputs.filter((p) => !p.startsWith('client/'));
    expect(server.filter((p) => !p.startsWith(`${CONTRACT}/`) && !p.startsWith(`${VOCABULARY}/`))).toEqual([]);
    expect(inputs.filter((p) => p.startsWith('server/src/domain/'))).toEqual([]);
  });

  it('when the contract names a module, should be zod, a contract file or a vocabulary file (never the domain, not even for a type)', () => {
    for (const file of filesUnder(CONTRACT, ['.ts'])) {
      for (const spec of specifiers(file)) {
        const target = resolved(file, spec);
        expect(
          target === 'zod' || target.startsWith(`${CONTRACT}/`) || target.startsWith(`${VOCABULARY}/`),
          `${file} imports ${spec}`,
        ).toBe(true);
      }
    }
  });

  it('when the vocabulary is read, should import nothing (its index only gathers its own files)', () => {
    for (const file of filesUnder(VOCABULARY, ['.ts'])) {
      const targets = specifiers(file).map((s) => resolved(file, s));
      if (file.endsWith('/index.ts'))
        expect(
          targets.every((t) => t.startsWith(`${VOCABULARY}/`)),
          file,
        ).toBe(true);
      else expect(targets, file).toEqual([]);
    }
  });

  it('when the contract and vocabulary files import each other, should form no cycle', () => {
    const files = [...filesUnder(CONTRACT, ['.ts']), ...filesUnder(VOCABULARY, ['.ts'])];
    const edges = new Map(
      files.map((f) => [
        f,
        specifiers(f)
          .map((s) => resolved(f, s))
          .filter((t) => files.includes(t)),
      ]),
    );
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') throw new Error(`import cycle: ${[...path.slice(path.indexOf(f)), f].join(' -> ')}`);
      state.set(f, 'open');
      for (const t of edges.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) expect(() => visit(f, [])).not.toThrow();
  });

  it('when the contract restates a domain shape for the browser, should keep it equal to the domain', () => {
    expectTypeOf<SeatStateView>().toEqualTypeOf<SeatState>();
    expectTypeOf<Omit<CallRecordView, 'callerMasked'>>().toEqualTypeOf<CallRecord>();
    expectTypeOf<SeatState['kind']>().toEqualTypeOf<SeatStateKind>();
    expectTypeOf<CallState['kind']>().toEqualTypeOf<CallStateKind>();
    expectTypeOf<DomainErrorCode>().toEqualTypeOf<Exclude<ErrorCode, 'INTERNAL'>>();
  });
});

describe('event names', () => {
  it('when a console sends a command, should be named noun:verb[-object]', () => {
    expect([...COMMAND_EVENTS].sort()).toEqual(Object.keys(COMMAND_SCHEMAS).sort());
    for (const name of COMMAND_EVENTS) {
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*:[a-z]+(-[a-z0-9]+)*$/);
      expect(name.split(':')[1]!.split('-')[0], name).not.toMatch(/ed$/);
    }
    expectTypeOf<ClientToServerEvents['seat:set-status']>().toEqualTypeOf<CommandListener<'seat:set-status'>>();
  });

  it('when the server pushes a fact, should be named noun:[object-]past participle', () => {
    expectTypeOf<(typeof FACT_EVENTS)[number]>().toEqualTypeOf<FactName>();
    expectTypeOf<keyof ServerToClientEvents>().toEqualTypeOf<FactName>();
    expect(new Set(FACT_EVENTS).size).toBe(FACT_EVENTS.length);
    for (const name of FACT_EVENTS) {
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*:([a-z0-9]+-)*[a-z]+ed$/);
    }
  });
});
