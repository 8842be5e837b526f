/**
 * The architecture's rules, checked by `npm test` (npm run check:boundaries). Each says why.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-reach-into-other-domain',
      comment: "A domain is used only through its index.ts: its other files are private and may change without notice. Import '../<domain>/index.ts' instead.",
      severity: 'error',
      from: { path: '^(?:domains|tests/fixtures/domains)/([^/]+)/' },
      to: { path: '^domains/([^/]+)/', pathNot: ['^domains/$1/', '^domains/[^/]+/index\\.ts$'] },
    },
    {
      name: 'shared-is-below-domains',
      comment: 'shared/ is the platform every domain stands on: it must not depend on a domain, on server.ts or on an entry file.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(domains/|tests/fixtures/|server\\.ts$|entry-(server|client)\\.tsx$)' },
    },
    {
      name: 'no-server-code-in-client',
      comment:
        'Pages, slots, components and the client entry reach the browser: they must not import server-only code (*.server.ts, better-sqlite3, node:*). Types are fine (erased at build).',
      severity: 'error',
      from: { path: '(^entry-client\\.tsx$|\\.page\\.tsx$|\\.slot\\.tsx$|/slots/|/components/|^shared/(ui|client)/)' },
      to: {
        path: '(\\.server\\.tsx?$|^node_modules/better-sqlite3/|^node:|^(fs|path|crypto|child_process|zlib|stream|http|net|os)$)',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-cycle-between-domains',
      comment:
        "Domains depend one way: if orders uses products, products must not use orders, not even for a type (a type-only edge is still a dependency a reader must follow, and the next change makes it a value). To put UI on another domain's page, fill one of its slots (shared/ui Slot).",
      severity: 'error',
      from: { path: '^(?:domains|tests/fixtures/domains)/([^/]+)/' },
      to: { path: '^(?:domains|tests/fixtures/domains)/', pathNot: '^(?:domains|tests/fixtures/domains)/$1/', circular: true },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes load order matter and hides which module owns what.',
      severity: 'error',
      from: {},
      // Types are erased at build: a cycle only through type imports is no cycle at run time.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^bench/\\.work/|^tests/fixtures/boundaries/|\\.test\\.tsx?$|\\.worker-fixture\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
    },
  },
}
