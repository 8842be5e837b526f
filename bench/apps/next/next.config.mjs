import { fileURLToPath } from 'node:url'

// The repository's root: the pages render Tessera's own components from domains/, which
// Turbopack compiles only inside its root.
const repo = fileURLToPath(new URL('../../..', import.meta.url))

/** @type {import('next').NextConfig} */
export default {
  turbopack: { root: repo },
  outputFileTracingRoot: repo,
  // A native addon: loaded by Node from the repo's node_modules (built for this Node), not bundled.
  serverExternalPackages: ['better-sqlite3'],
}
