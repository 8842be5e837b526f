/** Where the browser's modules live in dev: Vite's own (`/@vite/client`, `/@fs/`…), dependencies, and client source. */
const MODULE_PREFIXES = ['/@', '/node_modules/', '/entry-client.tsx', '/shared/', '/domains/', '/tests/fixtures/']

/** A `.` or `..` segment, written out or escaped, and an escaped `/` or `\`: a way out of the folder named. */
const ESCAPES_FOLDER = /(?:^|\/)\.{1,2}(?:\/|$)|%2e|%2f|%5c|\\/i

/**
 * Whether a dev request is Vite's to answer (a module the browser loads), as the raw request
 * target says; every other request goes to the app, which answers it as production would. Vite
 * serves any file under the project's root (`/package.json`, `/server.ts`, a `*.server.ts` file's
 * code) and resolves dot segments itself (`/assets/../package.json`, `/assets/%2e%2e/package.json`):
 * those never reach it. Server-only files are no module of the browser's (the build refuses them).
 * @example viteServes('/@vite/client', undefined) // true
 */
export function viteServes(target: string, accept: string | undefined): boolean {
  // The HMR client's ping, at whatever path it is.
  if (accept === 'text/x-vite-ping') return true
  const path = target.split('?', 1)[0]!
  if (ESCAPES_FOLDER.test(path)) return false
  if (!MODULE_PREFIXES.some((prefix) => path.startsWith(prefix))) return false
  return !/\.server\.[^/]*$/.test(path)
}
