// The architecture as a lint rule (eslint-plugin-boundaries): every file under server/src and
// client/src belongs to one element, and an import is an error unless a policy below allows it.
// Tests, benches and scripts belong to no element and may import anything.
//
// Server layering:
//   vocabulary   server/src/vocabulary      names, labels and codes; imports nothing at all
//   domain       server/src/domain          pure rules; only the domain itself, the vocabulary, zod
//   contract     server/src/contract        wire shapes; only contract, vocabulary, zod
//   feature      server/src/features/<f>    service + repository + routes + views of one feature;
//                                           the domain, vocabulary, contract, store/db.ts, transport
//                                           plumbing, features/shared, its own files, and another
//                                           feature only through its `*-service.ts` / `*-views.ts`
//   transport    server/src/transport       HTTP/socket plumbing; reaches rules only through
//                                           features' services and views (never a repository)
//   telephony    server/src/telephony       the Kamailio adapter; the domain engine's interface and
//                                           features' services, never a repository
//   store        server/src/store           SQLite plumbing and the engine's persistence
//   root         server/src/app.ts, main.ts the composition root; may import anything on the server
//                server/src/composition/    (app.ts's builders: stores, services, routers, sockets)
//   config       server/src/config.ts       settings from the environment; the domain and vocabulary
//   tools        server/src/{seed,sim,sip}  seed data, simulator, SIP config rendering
// Client:
//   only client/src/contract.ts (the door) imports server code, and only server/src/contract and
//   the vocabulary; client/src/shared never imports a feature; features use shared, the app
//   plumbing (client/src/app), the door, their own files and other features.

// Descriptors are tried in order and the first match wins; patterns name folders. The last two
// catch the files under server/src outside those folders (app.ts, main.ts, config.ts, composition/) and client/src (the
// door contract.ts, main.tsx and the client's app plumbing), told apart by `fileInternalPath`.
const elements = [
  { type: 'vocabulary', pattern: 'server/src/vocabulary', partialMatch: false },
  { type: 'domain', pattern: 'server/src/domain', partialMatch: false },
  { type: 'contract', pattern: 'server/src/contract', partialMatch: false },
  { type: 'feature-shared', pattern: 'server/src/features/shared', partialMatch: false },
  { type: 'feature', pattern: 'server/src/features/*', capture: ['feature'], partialMatch: false },
  { type: 'transport', pattern: 'server/src/transport', partialMatch: false },
  { type: 'telephony', pattern: 'server/src/telephony', partialMatch: false },
  { type: 'store', pattern: 'server/src/store', partialMatch: false },
  { type: 'tools', pattern: 'server/src/(seed|sim|sip)', partialMatch: false },
  { type: 'server-top', pattern: 'server/src', partialMatch: false },
  { type: 'client-shared', pattern: 'client/src/shared', partialMatch: false },
  { type: 'client-feature', pattern: 'client/src/features/*', capture: ['feature'], partialMatch: false },
  { type: 'client-app', pattern: 'client/src', partialMatch: false },
];

/** server/src/config.ts: settings read from the environment. */
const CONFIG = { type: 'server-top', fileInternalPath: 'config.ts' };
/** server/src/app.ts and main.ts: the composition root, and its builders in server/src/composition. */
const ROOT = { type: 'server-top', fileInternalPath: ['(app|main).ts', 'composition/*.ts'] };
/** client/src/contract.ts: the client's one door to server code. */
const DOOR = { type: 'client-app', fileInternalPath: 'contract.ts' };

/**
 * A feature's public face to other features, the transport and telephony (path inside the
 * feature): its services (the rules) and its views (domain records shaped into contract types,
 * which the socket layer pushes). Never its repositories or routes.
 */
const SERVICE = { type: 'feature', fileInternalPath: ['**/*-service.ts', '**/*-views.ts'] };
/** The one store file features use: the database handle and its transaction helper. */
const DB = { type: 'store', fileInternalPath: 'db.ts' };

const e = (/** @type {string} */ type) => ({ type });
const [vocabulary, domain, contract, featureShared, feature, transport, telephony, store, tools] = [
  'vocabulary',
  'domain',
  'contract',
  'feature-shared',
  'feature',
  'transport',
  'telephony',
  'store',
  'tools',
].map(e);
const [clientShared, clientFeature, clientApp] = ['client-shared', 'client-feature', 'client-app'].map(e);
const SERVER = [vocabulary, domain, contract, featureShared, feature, transport, telephony, store, tools, e('server-top')];
const CLIENT = [clientShared, clientFeature, clientApp];

/**
 * @param {object} from element selector of the importing file
 * @param {object[]} targets element selectors of what it may import
 */
const allow = (from, targets) => ({ from: { element: from }, allow: targets.map((t) => ({ to: { element: t } })) });

const NPM_OR_NODE = ['external', 'core'];

// Policies are evaluated in order and the last one that matches decides.
const policies = [
  // npm packages and node: built-ins are allowed, except in the pure layers below.
  { allow: { to: { module: { origin: NPM_OR_NODE } } } },

  { from: { element: vocabulary }, disallow: { to: { module: { origin: NPM_OR_NODE } } } },

  // The pure layers use one package, zod.
  allow(domain, [domain, vocabulary]),
  { from: { element: domain }, disallow: { to: { module: { origin: NPM_OR_NODE, source: '!zod' } } } },
  allow(contract, [contract, vocabulary]),
  { from: { element: contract }, disallow: { to: { module: { origin: NPM_OR_NODE, source: '!zod' } } } },

  allow(featureShared, [featureShared, domain, vocabulary, contract, CONFIG, transport, DB]),
  // A feature: its own files, another feature only through that feature's service.
  allow(feature, [featureShared, domain, vocabulary, contract, CONFIG, transport, DB, SERVICE]),
  {
    from: { element: feature },
    allow: { to: { element: { type: 'feature', captured: { feature: '{{ from.element.captured.feature }}' } } } },
  },

  // Transport and telephony reach the rules only through services, never a repository.
  allow(transport, [transport, featureShared, domain, vocabulary, contract, CONFIG, telephony, SERVICE, DB]),
  allow(telephony, [telephony, featureShared, domain, vocabulary, contract, CONFIG, store, SERVICE]),

  allow(store, [store, domain, vocabulary, CONFIG]),
  allow(CONFIG, [domain, vocabulary]),
  allow(ROOT, SERVER),
  allow(tools, SERVER),

  // Client: only the door imports server code, and only the contract and the vocabulary.
  allow(clientShared, [clientShared, clientApp]),
  allow(clientFeature, [clientFeature, clientShared, clientApp]),
  allow(clientApp, CLIENT),
  allow(DOOR, [contract, vocabulary]),
];

/** @type {{ settings: import('eslint').Linter.Settings, rules: import('eslint').Linter.RulesRecord }} */
export const architecture = {
  settings: {
    'boundaries/elements': elements,
    'boundaries/root-path': import.meta.dirname,
    'import/resolver': {
      typescript: { project: 'tsconfig.json' },
    },
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'disallow',
        // Check imports of npm packages and node: built-ins too (the pure layers may not use them),
        // and of local files outside every element (server code may not import tests or scripts).
        checkAllOrigins: true,
        checkUnknownLocals: true,
        message:
          "{{ from.element.type }} may not import '{{ dependency.source }}' ({{#if to.element.type}}{{ to.element.type }}{{else}}{{ to.module.origin }} module{{/if}}): see the layering in eslint.boundaries.js",
        policies,
      },
    ],
  },
};
