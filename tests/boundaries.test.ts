import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { cruise, type IConfiguration } from 'dependency-cruiser'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')
const { forbidden } = createRequire(import.meta.url)(resolve(root, '.dependency-cruiser.cjs')) as IConfiguration

/** The project's own rules, run over a small tree (tests/fixtures/boundaries) made to break each. */
async function violations(): Promise<{ rule: string; from: string; to: string }[]> {
  const result = await cruise(['domains', 'shared'], {
    baseDir: resolve(root, 'tests/fixtures/boundaries'),
    validate: true,
    ruleSet: { forbidden },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  })
  if (typeof result.output === 'string') throw new Error('expected a cruise result')
  return result.output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }))
}

describe('the boundary rules', async () => {
  const found = await violations()
  const ofRule = (rule: string) => found.filter((v) => v.rule === rule)

  it('refuse a domain reaching into another domain (an import, a re-export), but allow its index.ts', () => {
    expect(ofRule('no-reach-into-other-domain')).toEqual([
      { rule: 'no-reach-into-other-domain', from: 'domains/b/re-exports.ts', to: 'domains/a/internal.server.ts' },
      { rule: 'no-reach-into-other-domain', from: 'domains/b/reaches-in.ts', to: 'domains/a/internal.server.ts' },
    ])
  })

  // dependency-cruiser does not read import.meta.glob: checked here, over the real domains too.
  it("refuse a domain's import.meta.glob reaching out of its folder", () => {
    expect(globsOutOfTheirDomain(resolve(root, 'tests/fixtures/boundaries/domains'))).toEqual(['b/globs.ts: ../a/*.server.ts'])
    expect([...globsOutOfTheirDomain(resolve(root, 'domains')), ...globsOutOfTheirDomain(resolve(root, 'tests/fixtures/domains'))]).toEqual([])
  })

  it('refuse shared/ importing a domain', () => {
    expect(ofRule('shared-is-below-domains').map((v) => v.from)).toEqual(['shared/x/above.ts'])
  })

  it('refuse browser code (a page, a slot) importing server-only code', () => {
    expect(ofRule('no-server-code-in-client').map((v) => [v.from, v.to])).toEqual([
      ['domains/b/pages/leak.page.tsx', 'fs'],
      ['domains/b/slots/leak.slot.tsx', 'os'],
    ])
  })

  it('refuse import cycles', () => {
    expect(ofRule('no-circular').map((v) => v.from)).toEqual(['domains/b/cycle-one.ts']) // one report per cycle
  })

  it('refuse two domains that depend on each other, even through a type only', () => {
    expect(ofRule('no-cycle-between-domains').map((v) => [v.from, v.to])).toEqual([['domains/c/index.ts', 'domains/d/index.ts']])
  })

  it('find nothing else', () => {
    expect(found).toHaveLength(7)
  })
})

/** Each `import.meta.glob` pattern in the domains under `domainsDir` that leaves its own domain's folder, as `file: pattern`. */
function globsOutOfTheirDomain(domainsDir: string): string[] {
  const found: string[] = []
  for (const file of readdirSync(domainsDir, { recursive: true, encoding: 'utf8' }).filter((name) => /\.tsx?$/.test(name))) {
    const domain = file.split(/[\\/]/)[0]!
    const text = readFileSync(join(domainsDir, file), 'utf8')
    for (const call of text.matchAll(/import\.meta\.glob(?:<[^>]*>)?\(\s*(\[[^\]]*\]|'[^']*'|"[^"]*")/g)) {
      for (const [, pattern] of call[1]!.matchAll(/['"]([^'"]+)['"]/g)) {
        const target = relative(join(domainsDir, domain), resolve(dirname(join(domainsDir, file)), pattern!.replace(/^!/, '')))
        if (target.startsWith('..')) found.push(`${file}: ${pattern}`)
      }
    }
  }
  return found
}
