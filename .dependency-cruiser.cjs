/**
 * The layering of docs/design.md ("Layers"), checked by `npm run lint:layers` (in .ci/run before
 * the tests). A rule here is a sentence of the design; when the design changes, change both.
 *
 *   entries (main.ts, start.ts, main-sharded.ts, cli/) → app.ts (the composition root)
 *   cli/, discord/ (transports) → answer/ → retrieval/ → index-store/ → embedding/, vector-index/,
 *   lexical-index/, corpus/ → core/
 *
 * Type-only imports of a port's types are fine anywhere the direction allows; "only app.ts wires
 * concrete adapters" is about value imports (constructing them). Known exceptions that are being
 * removed are listed, each with its reason, in .dependency-cruiser-known-violations.json.
 * "Only config/ reads process.env" is not an import rule: test/unit/layers.test.ts checks it.
 *
 * scripts/lint-layers.ts runs these rules over a transpiled mirror of src/ (dependency-cruiser
 * cannot parse TypeScript 7): modules are `.js` there, and type-only imports have dependency
 * type `require` (TYPE_ONLY below). Module patterns therefore end in MODULE, not `\.ts$`.
 */

/** The end of a module path: `.ts` in src/, `.js` in the mirror (and `.mjs` for the worker bootstrap). */
const MODULE = '\\.(ts|js|mjs)$';
/** Dependency types of a type-only import: TypeScript's own, and the mirror's marker. */
const TYPE_ONLY = ['type-only', 'require'];

/** Modules that construct a concrete adapter (a library or a thread behind a port). */
const CONCRETE_ADAPTERS = [
  '^src/embedding/(worker-embedder|transformers-model|embedding-worker|token-counter)' + MODULE,
  '^src/vector-index/hnsw-vector-index' + MODULE,
  '^src/lexical-index/bm25-index' + MODULE,
  '^src/state/sqlite-store' + MODULE,
  '^src/watch/folder-watcher' + MODULE,
];

/** Process entries: they start citebot and may use any layer (they are the outermost ring). */
const ENTRIES = '^src/(main|main-sharded|start)' + MODULE + '|^src/cli/(run|register|eval|calibrate|report)' + MODULE;

/** Each third-party library is imported in one place: its adapter (folder or file). */
const LIBRARY_HOMES = [
  ['discord.js', '^src/discord/'],
  ['hnswlib-node', '^src/vector-index/hnsw-vector-index' + MODULE],
  ['@huggingface/transformers', '^src/embedding/'],
  ['@huggingface/tokenizers', '^src/embedding/token-counter' + MODULE],
  ['markdown-it', '^src/corpus/markdown-passages' + MODULE],
  ['markdown-it-container', '^src/corpus/markdown-passages' + MODULE],
  ['markdown-it-front-matter', '^src/corpus/markdown-passages' + MODULE],
  ['stemmer', '^src/lexical-index/analyzer' + MODULE],
  ['pino', '^src/logging/'],
  ['pino-pretty', '^src/logging/'],
  ['commander', '^src/cli/'],
  ['cli-progress', '^src/cli/progress-bar' + MODULE],
  ['tsx', '^src/embedding/worker-bootstrap\\.mjs$'],
  ['better-sqlite3', '^src/state/sqlite-store' + MODULE],
  ['chokidar', '^src/watch/folder-watcher' + MODULE],
];

/** Libraries used where they are needed (parsing at I/O boundaries), not behind one adapter. */
const SHARED_LIBRARIES = ['zod'];

const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A resolved module path inside node_modules of `name` (dependency-cruiser resolves to files). */
const libraryPath = (name) => `(^|/)node_modules/${escape(name)}/`;

/** A layer may import only from the layers listed for it (plus itself and core/). */
const layer = (name, from, allowed) => ({
  name,
  comment: `${from} may only import from: ${allowed.join(', ')} (docs/design.md, "Layers")`,
  severity: 'error',
  from: { path: from },
  to: { path: '^src/', pathNot: [from, '^src/core/', ...allowed] },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules import each other in one direction only.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-the-bottom',
      comment: 'core/ holds domain types, the error catalogue and the ports of the whole app; it imports nothing of citebot.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    layer('corpus', '^src/corpus/', []),
    layer('lexical-index', '^src/lexical-index/', []),
    layer('vector-index', '^src/vector-index/', []),
    layer('watch', '^src/watch/', []),
    // The token counter's type is the chunker's.
    layer('embedding', '^src/embedding/', ['^src/corpus/split-paragraphs' + MODULE]),
    // The index store knows the ports only; app.ts hands it the implementations (IndexBackends).
    layer('index-store', '^src/index-store/', ['^src/corpus/', '^src/embedding/embedder' + MODULE, '^src/lexical-index/lexical-index' + MODULE, '^src/vector-index/vector-index' + MODULE]),
    layer('retrieval', '^src/retrieval/', [
      '^src/corpus/',
      '^src/embedding/embedder' + MODULE,
      '^src/embedding/model-profiles' + MODULE,
      '^src/lexical-index/',
      '^src/vector-index/vector-index' + MODULE,
      '^src/index-store/',
    ]),
    layer('answer', '^src/answer/', []),
    // discord/ is handed an Engine: it knows the domain and the answer renderers, nothing that builds one.
    layer('discord', '^src/discord/', ['^src/answer/', '^src/community/']),
    // community/: pure rules over stored answers (report, grouping, retention); state/: the storage adapters.
    layer('community', '^src/community/', []),
    layer('state', '^src/state/', []),
    // config/ produces the adapters' settings from the types and defaults they define.
    layer('config', '^src/config/', ['^src/embedding/model-settings' + MODULE, '^src/vector-index/vector-index' + MODULE, '^src/corpus/retrieval-context' + MODULE]),
    layer('logging', '^src/logging/', []),
    {
      name: 'only-entries-use-the-root',
      comment: 'app.ts is the composition root: only process entries, the CLI and evaluation (which opens citebot through it) call it.',
      severity: 'error',
      from: { pathNot: [ENTRIES, '^src/cli/', '^src/evaluation/'] },
      to: { path: '^src/app' + MODULE },
    },
    {
      name: 'nothing-imports-an-entry',
      comment: 'Entry files run on import; nothing may import them.',
      severity: 'error',
      from: { pathNot: '^src/(main|main-sharded)' + MODULE },
      to: { path: ENTRIES, pathNot: '^src/start' + MODULE },
    },
    {
      name: 'only-the-root-wires-adapters',
      comment: 'Only app.ts constructs concrete adapters (type-only imports of their types are fine); everything else receives them behind a port.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app' + MODULE, ...CONCRETE_ADAPTERS, '^src/embedding/', '^src/vector-index/', '^src/lexical-index/'] },
      to: { path: CONCRETE_ADAPTERS, dependencyTypesNot: TYPE_ONLY },
    },
    {
      name: 'one-composition-root',
      comment: 'Only app.ts builds an engine (createEngine and its defaults); everything else opens citebot through app.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app' + MODULE, '^src/retrieval/'] },
      to: { path: '^src/retrieval/engine' + MODULE, dependencyTypesNot: TYPE_ONLY },
    },
    {
      name: 'logger-made-by-entries',
      comment: 'Library code receives a Logger (core/logger.ts); only process entries and the CLI create the pino one.',
      severity: 'error',
      from: { path: '^src/', pathNot: [ENTRIES, '^src/cli/', '^src/logging/'] },
      to: { path: '^src/logging/' },
    },
    ...LIBRARY_HOMES.map(([library, home]) => ({
      name: `one-home-for-${library.replace(/[^a-z0-9]+/gi, '-')}`,
      comment: `${library} is imported only by its adapter (${home}).`,
      severity: 'error',
      from: { path: '^src/', pathNot: home },
      to: { path: libraryPath(library) },
    })),
    {
      name: 'no-unlisted-library',
      comment: 'A new third-party library needs a home: add it to LIBRARY_HOMES (or SHARED_LIBRARIES) in this file.',
      severity: 'error',
      from: { path: '^src/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: [...LIBRARY_HOMES.map(([library]) => libraryPath(library)), ...SHARED_LIBRARIES.map(libraryPath), '(^|/)node_modules/@types/'],
      },
    },
    {
      name: 'no-dev-dependency-in-src',
      comment: 'src/ runs in production, where devDependencies are not installed.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: TYPE_ONLY },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.js', '.mjs', '.cjs', '.json', '.d.ts', '.d.mts'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
