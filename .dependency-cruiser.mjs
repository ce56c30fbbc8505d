// @ts-check
/**
 * The layer boundaries of docs/architecture.md ("Layers"), enforced on the import graph by
 * dependency-cruiser (`npm run lint:boundaries`, a step of `npm test` and `npm run test:quick`).
 * Paths are relative to the repository root. Type-only imports count: a type names a dependency
 * as much as a value does. Exceptions still being removed are listed, edge by edge, in
 * .dependency-cruiser-known-violations.json; a new edge that breaks a rule fails at once.
 */

/**
 * Pure code every layer may use: the contract, thread helpers, the logger's interface, and the
 * at-rest cipher and key primitives (crypto/: Node's crypto and the contract's errors only).
 */
const FOUNDATION = '^src-main/(contract/|runtime/|crypto/|host/logger-types\\.ts$|types/)';
/** Services that own no table: they compute, talk to a device or a server, or make files. */
const LEAF = 'calendar|catalog|sign|papers|gateway';
/** The store: the database, the content-addressed files, the audit trail. */
const STORAGE = 'db|files|audit';
/** Services on the store. */
const DOMAIN = 'auth|applicant|requests|reports';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'contract-only-zod',
      comment: 'The contract (src-main/contract) depends on nothing but zod: both processes and the sandbox import it.',
      severity: 'error',
      from: { path: '^src-main/contract/' },
      to: { pathNot: ['^src-main/contract/', '^node_modules/zod/'] },
    },
    {
      name: 'renderer-only-contract',
      comment: 'The renderer imports only src-renderer and src-main/contract; no Node, no other main-process code.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { pathNot: ['^src-renderer/', '^src-main/contract/', '^node_modules/'] },
    },
    {
      name: 'renderer-no-schemas',
      comment: 'The renderer takes the contract\'s declarations as types only: the zod schemas stay out of its bundle.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/contract/(operations|ops/[^/]+|model|define)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'services-not-to-host',
      comment: 'Services do not reach into the composition root (only its Logger interface); the host composes them.',
      severity: 'error',
      from: { path: '^src-main/', pathNot: '^src-main/(host/|electron/|main\\.ts$|preload\\.ts$)' },
      to: { path: '^src-main/host/', pathNot: '^src-main/host/logger-types\\.ts$' },
    },
    {
      name: 'only-shell-to-electron',
      comment: 'src-main/electron is the Electron shell: only main.ts and preload.ts use it.',
      severity: 'error',
      from: { pathNot: '^src-main/(electron/|main\\.ts$|preload\\.ts$)' },
      to: { path: '^src-main/electron/' },
    },
    {
      name: 'runtime-is-a-leaf',
      comment: 'src-main/runtime (worker and thread helpers) uses Node only.',
      severity: 'error',
      from: { path: '^src-main/runtime/' },
      to: { path: '^src-main/', pathNot: '^src-main/runtime/' },
    },
    {
      name: 'leaf-services-stay-leaves',
      comment: `Leaf services (${LEAF}) use the foundation and the calendar only: not the store, the domain services or one another.`,
      severity: 'error',
      from: { path: `^src-main/(${LEAF})/` },
      to: { path: '^src-main/', pathNot: [FOUNDATION, '^src-main/$1/', '^src-main/calendar/'] },
    },
    {
      name: 'scan-writes-only-files',
      comment: 'The scan pipeline stores pages in the content store; it knows no other service.',
      severity: 'error',
      from: { path: '^src-main/scan/' },
      to: { path: '^src-main/', pathNot: [FOUNDATION, '^src-main/scan/', '^src-main/files/'] },
    },
    {
      name: 'storage-points-down',
      comment: `The store (${STORAGE}) knows no service above it: no requests, sync, host.`,
      severity: 'error',
      from: { path: `^src-main/(${STORAGE})/` },
      to: { path: '^src-main/', pathNot: [FOUNDATION, `^src-main/(${STORAGE})/`] },
    },
    {
      name: 'domain-not-to-sync',
      comment: `Domain services (${DOMAIN}) do not know the sync engine; it drives them.`,
      severity: 'error',
      from: { path: `^src-main/(${DOMAIN})/` },
      to: { path: '^src-main/sync/' },
    },
    {
      name: 'sandbox-only-contract',
      comment: 'The sandbox backend is a separate program: of src-main it uses the contract\'s pure helpers only.',
      severity: 'error',
      from: { path: '^sandbox/' },
      to: { path: '^src-main/', pathNot: '^src-main/contract/' },
    },
    {
      name: 'product-not-to-tests',
      comment: 'Shipped code never imports tests, benchmarks or scripts.',
      severity: 'error',
      from: { path: '^(src-main|src-renderer|sandbox)/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles: a cycle hides which side owns what.',
      severity: 'error',
      from: { path: '^(src-main|src-renderer)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/|\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
