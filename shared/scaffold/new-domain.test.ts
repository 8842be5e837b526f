import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { newDomainProblem } from './new-domain.server.ts'

describe('new-domain, against what other domains declare', () => {
  const domains = mkdtempSync(join(tmpdir(), 'tessera-domains-'))
  afterAll(() => rmSync(domains, { recursive: true, force: true }))
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(domains, path)), { recursive: true })
    writeFileSync(join(domains, path), text)
  }
  write('wishes/tables.server.ts', 'declare module "#shared/db" {\n  interface Database {\n    gift_cards_items: GiftCardsTable\n  }\n}\n')
  write(
    'wishes/routes.server.ts',
    "// path: '/reviews' was here once\n/* path: '/notes' */\nexport const routes = [definePage({ path: '/checkout/:step', page })]\n",
  )
  write('wishes/migrations/002-drop-old.server.ts', "await db.schema.dropTable('reviews_items').execute() // path: '/polls'\n")

  it('refuses a name whose table or page path a domain declares', () => {
    expect(newDomainProblem('gift-cards', domains)).toBe('"gift-cards" would make the table gift_cards_items, which domains/wishes has: pick another name.')
    expect(newDomainProblem('checkout', domains)).toBe('"checkout" would answer /checkout, which domains/wishes answers: pick another name.')
  })

  it('takes a name that appears only in a comment or a migration', () => {
    for (const name of ['reviews', 'notes', 'polls']) expect([name, newDomainProblem(name, domains)]).toEqual([name, undefined])
  })
})
