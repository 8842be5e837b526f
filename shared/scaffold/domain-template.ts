/** The files of a new domain, from its kebab-case name. Each one small, working and tested. */
export function domainFiles(name: string): Record<string, string> {
  const title = name.split('-').map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ')
  const table = `${name.replaceAll('-', '_')}_items`
  return {
    'index.ts': `import { defineDomain, type MigrationModule } from '#shared/domain'
import { api } from './api.server.ts'
import { routes } from './routes.server.ts'

/** ${title}: describe what this domain is for. Other domains may use only what this file exports. */
export default defineDomain({
  name: '${name}',
  api,
  routes,
  migrations: import.meta.glob<MigrationModule>('./migrations/*.server.ts', { eager: true }),
  nav: [{ href: '/${name}', label: '${title}', order: 50 }],
})
`,
    'tables.server.ts': `import type { Generated } from 'kysely'

export interface ItemsTable {
  id: Generated<number>
  title: string
  created_at: number
}

declare module '#shared/db' {
  interface Database {
    ${table}: ItemsTable
  }
}
`,
    'migrations/001-create-items.server.ts': `import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('${table}')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('created_at', 'integer', (col) => col.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('${table}').execute()
}
`,
    'schemas.ts': `import { z } from 'zod'
import { plainText } from '#shared/http'

// Read input through #shared/http's strict schemas: plainText, integerText (URL and form
// numbers), integerJson, idText, pageNumber, centsText, linkUrl.
export const itemInput = z.object({ title: plainText().min(1, 'Write a title').max(200) })

export const itemSchema = z.object({ id: z.number().int(), title: z.string(), createdAt: z.string() })
export type Item = z.infer<typeof itemSchema>
`,
    'items.server.ts': `import type { Db } from '#shared/db'
import type { Item } from './schemas.ts'
import './tables.server.ts'

export async function listItems(db: Db): Promise<Item[]> {
  const rows = await db.selectFrom('${table}').selectAll().orderBy('id', 'desc').limit(100).execute()
  return rows.map((row) => ({ id: row.id, title: row.title, createdAt: new Date(row.created_at).toISOString() }))
}

export async function addItem(db: Db, title: string): Promise<Item> {
  const row = await db.insertInto('${table}').values({ title, created_at: Date.now() }).returningAll().executeTakeFirstOrThrow()
  return { id: row.id, title: row.title, createdAt: new Date(row.created_at).toISOString() }
}
`,
    'api.server.ts': `import { Hono } from 'hono'
import { validate, type AppEnv } from '#shared/http'
import { addItem, listItems } from './items.server.ts'
import { itemInput } from './schemas.ts'

/** \`/api/${name}\` */
export const api = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ items: await listItems(c.var.db) }))
  .post('/', validate('json', itemInput), async (c) => c.json({ item: await addItem(c.var.db, c.req.valid('json').title) }, 201))
`,
    'routes.server.ts': `import { defineAction, definePage } from '#shared/domain'
import { addItem, listItems } from './items.server.ts'
import { itemInput } from './schemas.ts'

export const routes = [
  definePage({
    path: '/${name}',
    page: () => import('./pages/${name}.page.tsx'),
    load: async ({ db }) => ({ items: await listItems(db) }),
    head: () => ({ title: '${title} · Tessera' }),
    action: defineAction(itemInput, async ({ db }, input) => {
      await addItem(db, input.title)
    }),
  }),
]
`,
    [`pages/${name}.page.tsx`]: `import type { PageProps } from '#shared/domain'
import { Form, TextField } from '#shared/ui'
import { ItemList } from '../components/item-list.tsx'
import type { Item } from '../schemas.ts'

export default function ${title.replaceAll(' ', '')}Page({ data }: PageProps<{ items: Item[] }>) {
  return (
    <section>
      <h1>${title}</h1>
      <ItemList items={data.items} />
      <Form>
        <TextField name="title" label="Title" required />
        <button type="submit">Add</button>
      </Form>
    </section>
  )
}
`,
    'components/item-list.tsx': `import type { Item } from '../schemas.ts'

export function ItemList({ items }: { items: Item[] }) {
  if (items.length === 0) return <p>Nothing yet.</p>
  return (
    <ul>
      {items.map((item) => (
        <li key={item.id}>{item.title}</li>
      ))}
    </ul>
  )
}
`,
    [`${name}.test.ts`]: `import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => {
  testApp = await createTestApp()
})
afterAll(() => testApp.close())

const post = (body: unknown) =>
  testApp.app.request('http://localhost/api/${name}', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })

describe('${name}', () => {
  it('adds an item through the API and shows it on its page', async () => {
    expect((await post({ title: 'First' })).status).toBe(201)
    expect(await (await testApp.app.request('http://localhost/api/${name}')).json()).toMatchObject({ items: [{ title: 'First' }] })
    expect(await (await testApp.app.request('http://localhost/${name}')).text()).toContain('<li>First</li>')
  })

  it('refuses an empty title with 400 and the field issue', async () => {
    const res = await post({ title: '' })
    expect(res.status).toBe(400)
    expect((await res.json()).error.issues[0].path).toEqual(['title'])
  })
})
`,
  }
}
