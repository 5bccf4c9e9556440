// The import graph's rules, checked by `npm run check:architecture` (part of `npm test`).
// Generated types and the add-api templates are left out: the first are openapi-typescript's,
// the second are not compiled where they stand.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-module-cycle',
      comment: 'Imports inside a package run one way (in a client: model ← state ← watch ← client).',
      severity: 'error',
      from: { pathNot: '\\.test(-d)?\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'no-package-cycle',
      comment:
        'Packages depend on each other one way, tests included: a test that needs a client and the simulator lives where both are dependencies (packages/examples).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^packages/[^/]+/src$' },
      to: { path: '^packages/[^/]+/src$', circular: true },
    },
  ],
  options: {
    includeOnly: '^packages/[^/]+/src/',
    exclude: { path: ['/generated/', '/templates/'] },
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types'], extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
