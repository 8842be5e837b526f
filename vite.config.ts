/// <reference types="vitest/config" />
import { builtinModules } from 'node:module'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'

/**
 * One config for the client build, the server build (`vite build --ssr`), dev and vitest.
 * TESSERA_FIXTURES=1 also mounts the test fixture domains (tests/fixtures/domains); without it
 * their code never reaches a bundle. TESSERA_OUT_DIR lets tests build beside, not over, dist/.
 * `--mode sea` (with --ssr, run by .ci/sea.mjs): the server as one CommonJS file, better-sqlite3's
 * JavaScript included, for the single executable `dist/tessera`.
 */
const outDir = process.env.TESSERA_OUT_DIR ?? 'dist'
const withFixtures = process.env.TESSERA_FIXTURES === '1' || process.env.VITEST === 'true'

/**
 * Dev only: the module the page's bootstrap script loads. Static imports run in order, so Vite's
 * HMR client and React Refresh's preamble are in place before the app's first component loads.
 */
function devEntry(): Plugin {
  const modules: Record<string, string> = {
    '/@tessera/dev-entry.js': `import '/@vite/client'\nimport '/@tessera/react-preamble.js'\nimport '/entry-client.tsx'\n`,
    '/@tessera/react-preamble.js': react.preambleCode.replace('__BASE__', '/'),
  }
  return {
    name: 'tessera:dev-entry',
    apply: 'serve',
    resolveId: (id) => (id in modules ? id : undefined),
    load: (id) => modules[id],
  }
}

/**
 * Single executable only: better-sqlite3 finds its addon with `require('bindings')(name)`, a file
 * lookup that cannot work there. This stand-in returns the addon the executable carries, so every
 * `new SQLite()` (the database, the backup command) works unchanged.
 */
function seaSqliteAddon(): Plugin {
  const id = '\0tessera:sea-bindings'
  const loader = fileURLToPath(new URL('./shared/db/embedded-addon.server.ts', import.meta.url))
  return {
    name: 'tessera:sea-sqlite-addon',
    enforce: 'pre',
    resolveId: (source) => (source === 'bindings' ? id : undefined),
    load: (source) => (source === id ? `module.exports = () => require(${JSON.stringify(loader)}).embeddedSqliteAddon()` : undefined),
  }
}

/**
 * Client build only: a Node module reached from a page stops the build, naming who imports it.
 * Vite would only warn and put a stub in its place, which fails in the browser: a page importing
 * a value from a module that imports #shared/http took its server modules along, and every cart
 * page stopped hydrating ("promisify is not a function") with the build green.
 */
function noNodeInBrowser(): Plugin {
  const builtins = new Set(builtinModules)
  return {
    name: 'tessera:no-node-in-browser',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.startsWith('node:') || builtins.has(source.split('/')[0]!)) {
        this.error(
          `${importer} imports ${source}, a Node module, into the browser's bundle: a page reached server code (import only types from such a module, or move the value to one without server imports)`,
        )
      }
    },
  }
}

export default defineConfig(({ isSsrBuild, mode }) => ({
  plugins: [react(), devEntry(), ...(isSsrBuild ? (mode === 'sea' ? [seaSqliteAddon()] : []) : [noNodeInBrowser()])],
  // Vite's defaults, and the database: dev must never serve it.
  server: { fs: { deny: ['.env', '.env.*', '*.{crt,pem}', '**/.git/**', '**/data/**', '**/*.db', '**/*.db-*', '**/*.sqlite*'] } },
  define: {
    __TESSERA_FIXTURES__: JSON.stringify(withFixtures),
    // The test build (and vitest) checks every API answer against its route's contract; a build
    // without the fixtures, the one shipped, has no check at all (docs/api.md). Dev serves the
    // source, where NODE_ENV decides.
    __TESSERA_CHECK_API__: JSON.stringify(withFixtures && !!isSsrBuild),
    // The server bundle is production code: React's development build is dropped from it, and
    // server.ts knows it runs built (see `built` there).
    ...(isSsrBuild ? { 'process.env.NODE_ENV': JSON.stringify('production'), __TESSERA_SERVER_BUNDLE__: 'true' } : {}),
  },
  build: isSsrBuild
    ? {
        outDir,
        emptyOutDir: false,
        target: 'node20',
        rollupOptions: {
          // A single executable runs one CommonJS script: no chunks, no ESM, and no import() of a
          // built-in module either (Node 20's single executable has no loader for it: the OTLP
          // exporter's import('http') failed there), so those become require().
          output:
            mode === 'sea'
              ? { format: 'cjs', entryFileNames: 'server.cjs', codeSplitting: false, dynamicImportInCjs: false }
              : { entryFileNames: 'server.js', chunkFileNames: 'server/[name]-[hash].js' },
        },
      }
    : { outDir: `${outDir}/client`, manifest: true, emptyOutDir: true, rollupOptions: { input: 'entry-client.tsx' } },
  // The production bundle holds every JS dependency, so the artifact needs only the native SQLite
  // addon (the single executable's holds better-sqlite3 too); dev loads them from node_modules.
  ssr: isSsrBuild ? { noExternal: true, external: mode === 'sea' ? [] : ['better-sqlite3'] } : {},
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.{ts,tsx}'],
          // Two files at once even on two cores (vitest's default, cores - 1, is one at a time there):
          // many of these wait on a database, a worker thread or a timer, and a core sat idle. The
          // production project runs after them (groupOrder), one file at a time until two at once
          // there has been shown stable on the shared CI machine (c81deae).
          maxWorkers: Math.max(2, availableParallelism() - 1),
          exclude: ['**/node_modules/**', 'dist/**', 'bench/**'],
          // Many tests make a whole app (its database migrated: on PostgreSQL a schema of its own) or
          // hash passwords: ~1.5 s alone, past vitest's 5 s (10 s for a hook making one) with two
          // files at once on a busy 2-core CI machine. Limits for hung tests, never a measure of
          // speed (that is bench/'s).
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        // Against a real production build run as `node dist/server.js`, and in Chromium.
        extends: true,
        test: {
          name: 'production',
          include: ['tests/**/*.integration-test.ts', 'tests/e2e/**/*.e2e.ts'],
          sequence: { groupOrder: 1 },
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/contract-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
}))
