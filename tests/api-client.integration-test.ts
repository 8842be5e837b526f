import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'
import ts from 'typescript'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { serversFor, type ServerProcess } from './support/server-process.ts'

/**
 * A partner's view: a TypeScript client generated from the served document (openapi-typescript,
 * openapi-fetch), type-checked with tsc, drives a purchase (tests/api-client/purchase.ts). The test
 * runs the copy that was type-checked, beside its generated types (the project's typecheck leaves
 * tests/api-client/ out: those types exist only here).
 */
const work = new URL('../.tessera-test/api-client/', import.meta.url)
const start = serversFor(inject('builtRoot'))
let server: ServerProcess

/** What the test reads of purchase.ts's answers (its own types come from the generated file). */
interface Purchase {
  tesseraClient(baseUrl: string, fetch: (request: Request) => Promise<Response>): unknown
  purchase(
    client: unknown,
    email: string,
  ): Promise<{
    user: { email: string; role: string }
    product: { id: number; priceCents: number }
    cart: { items: { productId: number; quantity: number }[] }
    order: { id: number; status: string; totalCents: number }
    orders: { items: { id: number }[] }
    cancelled: { id: number; status: string }
  }>
}

beforeAll(async () => {
  server = await start()
  const doc = await (await fetch(`${server.url}/api/openapi.json`)).json()
  await mkdir(work, { recursive: true })
  await writeFile(new URL('tessera-api.ts', work), astToString(await openapiTS(doc, { silent: true })))
  await copyFile(new URL('./api-client/purchase.ts', import.meta.url), new URL('purchase.ts', work))
})

/** tsc's complaints about the copy of purchase.ts beside the generated types, as lines. */
function typeErrors(): string[] {
  const program = ts.createProgram([fileURLToPath(new URL('purchase.ts', work))], {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
  })
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => `${diagnostic.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`)
}

describe('a client generated from /api/openapi.json', () => {
  it('type-checks a purchase against the generated types (tsc)', () => {
    expect(typeErrors()).toEqual([])
  }, 60_000)

  it('registers, searches, adds to the cart, checks out, lists the orders and cancels', async () => {
    const { purchase, tesseraClient } = (await import(/* @vite-ignore */ new URL('purchase.ts', work).href)) as Purchase
    const client = tesseraClient(server.url, (request) => fetch(request))
    const done = await purchase(client, 'partner@example.com')
    expect(done.user).toMatchObject({ email: 'partner@example.com', role: 'customer' })
    expect(done.cart.items).toEqual([expect.objectContaining({ productId: done.product.id, quantity: 2 })])
    expect(done.order).toMatchObject({ status: 'paid', totalCents: done.product.priceCents * 2 })
    expect(done.orders.items.map((order) => order.id)).toEqual([done.order.id])
    expect(done.cancelled).toMatchObject({ id: done.order.id, status: 'cancelled' })
  })
})
