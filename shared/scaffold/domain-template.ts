/** The table a new domain keeps its items in: `gift_cards_items` for `gift-cards`. */
export const tableOf = (name: string) => `${name.replaceAll('-', '_')}_items`

/** The files of a new domain, from its kebab-case name. Each one small, working and tested. */
export function domainFiles(name: string): Record<string, string> {
  const title = name
    .split('-')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ')
  const table = tableOf(name)
  return {
    'index.ts': `import { defineDomain, type MigrationModule } from '#shared/domain'
import { api } from './api.server.ts'
import { routes } from './routes.server.ts'

/** ${title}: describe what this domain is for. Other domains may use only what this file exports. */
export default defineDomain({
  name: '${name}',
  api,
  // What /api-docs and /api/openapi.json say of /api/${name}: in this domain's words.
  apiDescriptions: { '${name}': '${title}: listing and adding items; admins remove them.' },
  routes,
  slots: ['${name}-item-actions'], // the slots its pages offer other domains, declared in slots.ts
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
import { generatedId, INT64 } from '#shared/db'

// Written once for SQLite and PostgreSQL: generatedId numbers rows on both, INT64 holds a time in ms.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('${table}')
    .addColumn('id', 'integer', generatedId(db))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('created_at', INT64, (col) => col.notNull())
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

export async function findItem(db: Db, id: number): Promise<Item | undefined> {
  const row = await db.selectFrom('${table}').selectAll().where('id', '=', id).executeTakeFirst()
  return row && { id: row.id, title: row.title, createdAt: new Date(row.created_at).toISOString() }
}

export async function removeItem(db: Db, id: number): Promise<boolean> {
  return (await db.deleteFrom('${table}').where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n
}

export async function addItem(db: Db, title: string): Promise<Item> {
  const row = await db.insertInto('${table}').values({ title, created_at: Date.now() }).returningAll().executeTakeFirstOrThrow()
  return { id: row.id, title: row.title, createdAt: new Date(row.created_at).toISOString() }
}
`,
    'api.server.ts': `import { Hono } from 'hono'
import { z } from 'zod'
import { pathId } from '#shared/domain'
import { HttpError, operation, type AppEnv } from '#shared/http'
import { addItem, listItems, removeItem } from './items.server.ts'
import { itemInput, itemSchema } from './schemas.ts'

/**
 * \`/api/${name}\`. Each route declares its contract with operation(): who may call it, the input it
 * validates, what it answers per status (a handler answering anything else does not compile), its
 * entry in /api/openapi.json.
 */
export const api = new Hono<AppEnv>()
  .get('/', operation({ id: '${name}.list', summary: 'The newest items', responses: { 200: z.object({ items: z.array(itemSchema) }) } }, async (c) => c.json({ items: await listItems(c.var.db) }, 200)))
  .post(
    '/',
    // access: signed in, or 401 before the input is read (open writes invite spam)
    operation({ id: '${name}.add', summary: 'Add an item', access: 'signed-in', json: itemInput, responses: { 201: z.object({ item: itemSchema }) } }, async (c) =>
      c.json({ item: await addItem(c.var.db, c.req.valid('json').title) }, 201),
    ),
  )
  .delete(
    '/:id',
    // access: an admin, or 401/403 before anything else runs
    operation({ id: '${name}.remove', summary: 'Remove an item', access: 'admin', params: z.object({ id: pathId() }), responses: { 204: null, 404: 'No such item' } }, async (c) => {
      if (!(await removeItem(c.var.db, c.req.valid('param').id))) throw new HttpError(404, 'not_found', 'No such item.')
      return c.body(null, 204)
    }),
  )
`,
    'routes.server.ts': `import { definePage, readPathId } from '#shared/domain'
import { notFound } from '#shared/http'
import { requireUser } from '../auth/index.ts'
import { addItem, findItem, listItems } from './items.server.ts'
import { itemInput } from './schemas.ts'

export const routes = [
  definePage({
    path: '/${name}',
    page: () => import('./pages/${name}.page.tsx'),
    load: async ({ db }) => ({ items: await listItems(db) }),
    head: () => ({ title: '${title} · Tessera' }),
    action: {
      input: itemInput,
      run: async ({ c, db }, input) => {
        await requireUser(c) // signed out: to /login, and back here after
        await addItem(db, input.title)
      },
    },
  }),
  definePage({
    path: '/${name}/:id',
    page: () => import('./pages/${name}-item.page.tsx'),
    // params is typed from the path: params.id is a string, a misspelt name does not compile.
    // readPathId: /${name}/abc is a 404, /${name}/07 a 301 to /${name}/7 (one address per item).
    load: async ({ c, db, params }) => ({ item: (await findItem(db, readPathId(c, params.id))) ?? notFound('No such item.') }),
    head: ({ item }) => ({ title: \`\${item.title} · ${title} · Tessera\` }),
  }),
]
`,
    'slots.ts': `/**
 * The places on this domain's pages that other domains may fill (\`<Slot>\` from #shared/ui): one
 * fills it with a \`slots/<name>.slot.tsx\` file whose default export takes these props; neither
 * domain imports the other.
 */
declare module '#shared/ui' {
  interface Slots {
    /** Below an item on its page. */
    '${name}-item-actions': { itemId: number }
  }
}

export {}
`,
    [`pages/${name}-item.page.tsx`]: `import type { PageProps } from '#shared/domain'
import { Link, Slot } from '#shared/ui'
import type { Item } from '../schemas.ts'

export default function ${title.replaceAll(' ', '')}ItemPage({ data }: PageProps<{ item: Item }>) {
  return (
    <article>
      <h1>{data.item.title}</h1>
      {/* What other domains put here (see ../slots.ts) */}
      <Slot name="${name}-item-actions" itemId={data.item.id} />
      <Link href="/${name}">All of ${title}</Link>
    </article>
  )
}
`,
    [`pages/${name}.page.tsx`]: `import type { PageProps } from '#shared/domain'
import { Form, SubmitButton, TextField } from '#shared/ui'
import { ItemList } from '../components/item-list.tsx'
import type { Item } from '../schemas.ts'

export default function ${title.replaceAll(' ', '')}Page({ data }: PageProps<{ items: Item[] }>) {
  return (
    <section>
      <h1>${title}</h1>
      <ItemList items={data.items} />
      {/* announce: what a screen reader hears when it is added in place (with JavaScript). */}
      <Form announce="Added.">
        <TextField name="title" label="Title" required />
        <SubmitButton>Add</SubmitButton>
      </Form>
    </section>
  )
}
`,
    'components/item-list.tsx': `import { Link } from '#shared/ui'
import type { Item } from '../schemas.ts'

export function ItemList({ items }: { items: Item[] }) {
  if (items.length === 0) return <p>Nothing yet.</p>
  return (
    <ul>
      {items.map((item) => (
        <li key={item.id}>
          <Link href={\`/${name}/\${item.id}\`}>{item.title}</Link>
        </li>
      ))}
    </ul>
  )
}
`,
    [`${name}.test.ts`]: `import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/test-app.ts'

let testApp: Awaited<ReturnType<typeof createTestApp>>
let admin: string
let customer: string

function call(path: string, { method = 'GET', body, cookie }: { method?: string; body?: unknown; cookie?: string } = {}) {
  const headers: Record<string, string> = { Origin: 'http://localhost', ...(cookie ? { Cookie: cookie } : {}) }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  return testApp.app.request(\`http://localhost\${path}\`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}
const sessionOf = (res: Response) => res.headers.getSetCookie().find((cookie) => cookie.startsWith('tessera_session='))!.split(';')[0]!

beforeAll(async () => {
  testApp = await createTestApp({ ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'admin password' })
  admin = sessionOf(await call('/api/auth/login', { method: 'POST', body: { email: 'admin@example.com', password: 'admin password' } }))
  customer = sessionOf(await call('/api/auth/register', { method: 'POST', body: { email: 'someone@example.com', name: 'Someone', password: 'long enough' } }))
})
afterAll(() => testApp.close())

const post = (body: unknown, cookie = customer) => call('/api/${name}', { method: 'POST', body, cookie })

describe('${name}', () => {
  it('adds an item through the API and shows it on its page and its own', async () => {
    const { item } = await (await post({ title: 'First' })).json()
    expect(await (await testApp.app.request('http://localhost/api/${name}')).json()).toMatchObject({ items: [{ title: 'First' }] })
    expect(await (await testApp.app.request('http://localhost/${name}')).text()).toContain(\`<a href="/${name}/\${item.id}">First</a>\`)
    expect(await (await testApp.app.request(\`http://localhost/${name}/\${item.id}\`)).text()).toContain('<h1>First</h1>')
    expect((await testApp.app.request('http://localhost/${name}/999999')).status).toBe(404)
  })

  it('lets only the signed in add an item', async () => {
    expect((await call('/api/${name}', { method: 'POST', body: { title: 'Anonymous' } })).status).toBe(401)
    expect((await (await call('/api/${name}')).json()).items).not.toContainEqual(expect.objectContaining({ title: 'Anonymous' }))
  })

  it('lets only an admin delete an item', async () => {
    const { item } = await (await post({ title: 'Doomed' })).json()
    const remove = (cookie?: string) => call(\`/api/${name}/\${item.id}\`, { method: 'DELETE', ...(cookie ? { cookie } : {}) })
    expect((await remove()).status).toBe(401)
    expect((await remove(customer)).status).toBe(403)
    expect((await remove(admin)).status).toBe(204)
    expect((await call(\`/${name}/\${item.id}\`)).status).toBe(404)
    expect((await remove(admin)).status).toBe(404) // gone
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
