// The architecture boundary rule (eslint.boundaries.js) fails loudly on a layering violation and
// stays quiet on an allowed import. Fixture files are written to a temporary tree laid out like the
// product (server/src/domain, features/<f>, transport, client/src/...), because the rule resolves
// each import to a real file before it classifies it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';
import { architecture } from '../../eslint.boundaries.js';

const FIXTURE_FILES = [
  'tests/support/server.ts',
  'server/src/vocabulary/index.ts',
  'server/src/domain/model.ts',
  'server/src/domain/engine/facade.ts',
  'server/src/contract/index.ts',
  'server/src/features/shared/permissions.ts',
  'server/src/features/summaries/summary-service.ts',
  'server/src/features/summaries/summary-repository.ts',
  'server/src/features/summaries/summary-routes.ts',
  'server/src/features/calls/call-service.ts',
  'server/src/features/calls/call-repository.ts',
  'server/src/features/calls/call-views.ts',
  'server/src/features/calls/call-routes.ts',
  'server/src/transport/http.ts',
  'server/src/transport/errors.ts',
  'server/src/telephony/kamailio-adapter.ts',
  'server/src/store/db.ts',
  'server/src/store/engine-store.ts',
  'server/src/config.ts',
  'server/src/app.ts',
  'server/src/composition/http.ts',
  'client/src/contract.ts',
  'client/src/app/root.ts',
  'client/src/shared/format.ts',
  'client/src/features/phone/phone-controller.ts',
  'client/src/features/summary/SummaryForm.tsx',
];

let root = '';
let eslint: ESLint;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-boundaries-'));
  for (const file of FIXTURE_FILES) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), 'export const x = 1;\n');
  }
  fs.writeFileSync(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', jsx: 'react-jsx' },
      include: ['server', 'client', 'tests'],
    }),
  );
  eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts', '**/*.tsx'],
        languageOptions: { parser: tseslint.parser },
        plugins: { boundaries },
        settings: {
          ...architecture.settings,
          'boundaries/root-path': root,
          'import/resolver': { typescript: { project: path.join(root, 'tsconfig.json') } },
        },
        rules: architecture.rules,
      },
    ],
  });
});

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** Lints `code` as if it were the file at `file` (relative to the fixture root); returns the boundary messages. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  expect(result).toBeDefined();
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('architecture boundaries', () => {
  it.each([
    ['the domain importing the transport', 'server/src/domain/model.ts', "import { x } from '../transport/http.js';"],
    ['the domain importing a feature', 'server/src/domain/engine/facade.ts', "import { x } from '../../features/calls/call-service.js';"],
    ['the domain importing the contract', 'server/src/domain/model.ts', "import { x } from '../contract/index.js';"],
    ['the domain importing a Node built-in', 'server/src/domain/model.ts', "import fs from 'node:fs';"],
    ['the vocabulary importing anything', 'server/src/vocabulary/index.ts', "import { x } from '../domain/model.js';"],
    ['the vocabulary importing a package', 'server/src/vocabulary/index.ts', "import { z } from 'zod';"],
    ['the contract importing the domain', 'server/src/contract/index.ts', "import { x } from '../domain/model.js';"],
    [
      'a feature importing another feature’s repository',
      'server/src/features/summaries/summary-service.ts',
      "import { x } from '../calls/call-repository.js';",
    ],
    [
      'a feature importing the engine store',
      'server/src/features/calls/call-service.ts',
      "import { x } from '../../store/engine-store.js';",
    ],
    ['the transport importing a repository', 'server/src/transport/http.ts', "import { x } from '../features/calls/call-repository.js';"],
    ['the transport importing a feature’s routes', 'server/src/transport/http.ts', "import { x } from '../features/calls/call-routes.js';"],
    [
      'a feature importing the telephony adapter',
      'server/src/features/calls/call-service.ts',
      "import { x } from '../../telephony/kamailio-adapter.js';",
    ],
    ['the transport importing a store file', 'server/src/transport/http.ts', "import { x } from '../store/engine-store.js';"],
    [
      'telephony importing a repository',
      'server/src/telephony/kamailio-adapter.ts',
      "import { x } from '../features/summaries/summary-repository.js';",
    ],
    ['the store importing the contract', 'server/src/store/engine-store.ts', "import { x } from '../contract/index.js';"],
    [
      'a client feature importing server code',
      'client/src/features/phone/phone-controller.ts',
      "import { x } from '../../../../server/src/domain/model.js';",
    ],
    [
      'a client feature importing the server contract past the door',
      'client/src/features/summary/SummaryForm.tsx',
      "import { x } from '../../../../server/src/contract/index.js';",
    ],
    ['the client door importing the domain', 'client/src/contract.ts', "import { x } from '../../server/src/domain/model.js';"],
    ['client shared code importing a feature', 'client/src/shared/format.ts', "import { x } from '../features/phone/phone-controller.js';"],
    ['the server importing client code', 'server/src/app.ts', "import { x } from '../../client/src/app/root.js';"],
    ['the server importing a file outside every layer', 'server/src/app.ts', "import { x } from '../../tests/support/server.js';"],
    [
      'a feature importing the composition root’s builders',
      'server/src/features/calls/call-service.ts',
      "import { x } from '../../composition/http.js';",
    ],
    [
      'a composition builder importing a file outside every layer',
      'server/src/composition/http.ts',
      "import { x } from '../../../tests/support/server.js';",
    ],
  ])('reports %s', async (_name, file, code) => {
    const errors = await boundaryErrors(file, `${code}\nexport const y = 1;\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('see the layering in eslint.boundaries.js');
  });

  it.each([
    [
      'the domain importing the domain and the vocabulary',
      'server/src/domain/engine/facade.ts',
      "import { x } from '../model.js';\nimport { x as v } from '../../vocabulary/index.js';",
    ],
    ['the domain importing zod', 'server/src/domain/model.ts', "import { z } from 'zod';"],
    [
      'the contract importing the vocabulary and zod',
      'server/src/contract/index.ts',
      "import { x } from '../vocabulary/index.js';\nimport { z } from 'zod';",
    ],
    [
      'a feature importing its own repository, the domain, the db and transport plumbing',
      'server/src/features/summaries/summary-service.ts',
      "import { x } from './summary-repository.js';\nimport { x as m } from '../../domain/model.js';\nimport { x as d } from '../../store/db.js';\nimport { x as e } from '../../transport/errors.js';\nimport { x as p } from '../shared/permissions.js';",
    ],
    [
      'a feature importing another feature’s service',
      'server/src/features/summaries/summary-routes.ts',
      "import { x } from '../calls/call-service.js';",
    ],
    [
      'the transport importing a service and views',
      'server/src/transport/http.ts',
      "import { x } from '../features/summaries/summary-service.js';\nimport { x as v } from '../features/calls/call-views.js';",
    ],
    [
      'a feature importing another feature’s views',
      'server/src/features/summaries/summary-service.ts',
      "import { x } from '../calls/call-views.js';",
    ],
    [
      'telephony importing a service and the domain',
      'server/src/telephony/kamailio-adapter.ts',
      "import { x } from '../features/calls/call-service.js';\nimport { x as m } from '../domain/engine/facade.js';",
    ],
    [
      'the composition root importing anything on the server',
      'server/src/app.ts',
      "import { x } from './features/calls/call-repository.js';\nimport { x as s } from './store/engine-store.js';",
    ],
    [
      'a composition builder importing anything on the server',
      'server/src/composition/http.ts',
      "import { x } from '../features/calls/call-repository.js';\nimport { x as s } from '../store/engine-store.js';\nimport { x as a } from '../app.js';",
    ],
    ['the client door importing the server contract', 'client/src/contract.ts', "import { x } from '../../server/src/contract/index.js';"],
    [
      'a client feature importing shared code, the app, another feature and the door',
      'client/src/features/summary/SummaryForm.tsx',
      "import { x } from '../../shared/format.js';\nimport { x as r } from '../../app/root.js';\nimport { x as p } from '../phone/phone-controller.js';\nimport { x as c } from '../../contract.js';",
    ],
  ])('allows %s', async (_name, file, code) => {
    expect(await boundaryErrors(file, `${code}\nexport const y = 1;\n`)).toEqual([]);
  });
});
