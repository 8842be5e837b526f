import { createRequire } from 'node:module'
import { resolve } from 'node:path'
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

  it('refuse a domain reaching into another domain, but allow its index.ts', () => {
    expect(ofRule('no-reach-into-other-domain')).toEqual([
      { rule: 'no-reach-into-other-domain', from: 'domains/b/reaches-in.ts', to: 'domains/a/internal.server.ts' },
    ])
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
    expect(found).toHaveLength(6)
  })
})
