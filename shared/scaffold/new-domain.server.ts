/**
 * `npm run new-domain <name>`: a working domain under domains/<name>/ (API, service, migration,
 * page with loader and action, component, tests), mounted by the server with no other edit.
 * A bad name (taken, not kebab-case, reserved) stops with one clear line and creates nothing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { domainFiles, tableOf } from './domain-template.ts'

/** Paths the platform answers, and names kept for it. */
const RESERVED = new Set([
  'api',
  'api-docs',
  'assets',
  'healthz',
  'readyz',
  'metrics',
  'shared',
  'static',
  'admin',
  'login',
  'logout',
  'sitemap',
  'favicon',
  'manifest',
  'platform',
])
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/

export function newDomainProblem(name: string | undefined, domainsDir: string): string | undefined {
  if (!name) return 'Usage: npm run new-domain <name>   (kebab-case, e.g. gift-cards)'
  if (!KEBAB.test(name)) return `"${name}" is not kebab-case: use lower-case words joined by hyphens, e.g. gift-cards.`
  if (RESERVED.has(name)) return `"${name}" is reserved: pick another name.`
  if (existsSync(join(domainsDir, name))) return `domains/${name} already exists.`
  return claimedElsewhere(name, domainsDir)
}

/**
 * What the new domain would make that another domain has already: its table (`cart` would make
 * `cart_items`, orders' table), or a page at its path (`checkout`: orders' `/checkout`). Read where
 * domains declare them (a `Database` member in a `tables.server.ts`, a `path:` in the domain's
 * code, migrations aside), comments left out, before anything is written.
 */
function claimedElsewhere(name: string, domainsDir: string): string | undefined {
  const table = tableOf(name)
  const declaresTable = new RegExp(`\\b${table}\\s*:`)
  const declaresPath = new RegExp(`path: ['"\`]/${name}(/|['"\`])`)
  let pathTaken: string | undefined
  for (const domain of readdirSync(domainsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    const files = readdirSync(join(domainsDir, domain.name), { recursive: true, encoding: 'utf8' })
    for (const file of files.filter((path) => /\.tsx?$/.test(path) && !path.startsWith('migrations'))) {
      const code = withoutComments(readFileSync(join(domainsDir, domain.name, file), 'utf8'))
      // The table first: taken, it breaks the other domain's types and the next start's migrations.
      if (file.endsWith('tables.server.ts') && declaresTable.test(code)) {
        return `"${name}" would make the table ${table}, which domains/${domain.name} has: pick another name.`
      }
      if (declaresPath.test(code)) pathTaken ??= `"${name}" would answer /${name}, which domains/${domain.name} answers: pick another name.`
    }
  }
  return pathTaken
}

/** Source text without its comments (a `//` after a `:` is a URL's, kept). */
const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/[^\n]*/g, '$1')

export function createDomain(name: string, domainsDir: string): string[] {
  const files = domainFiles(name)
  for (const [path, text] of Object.entries(files)) {
    const target = join(domainsDir, name, path)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, text)
  }
  return Object.keys(files).map((path) => `domains/${name}/${path}`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2]
  const domainsDir = resolve(process.cwd(), 'domains')
  const problem = newDomainProblem(name, domainsDir)
  if (problem) {
    process.stderr.write(`${problem}\n`)
    process.exit(2)
  }
  const created = createDomain(name!, domainsDir)
  // In the project's style whatever the name's length (npm run lint checks it; a dev dependency).
  spawnSync('npx', ['--no-install', 'biome', 'format', '--write', join(domainsDir, name!)], { stdio: 'ignore' })
  process.stdout.write(`Created domains/${name}: ${created.length} files.\nIt is mounted at /${name} and /api/${name}; its tests run with npm test.\n`)
}
