import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compiledQuery } from './compiled-query.server.ts'
import { openDatabase, type Db } from './database.server.ts'

interface ItemsTable {
  id: number
  name: string
}
declare module '#shared/db' {
  interface Database {
    compiled_query_items: ItemsTable
  }
}

const dbs: Db[] = []
async function itemsDb(names: string[]): Promise<Db> {
  const db = openDatabase(':memory:')
  dbs.push(db)
  await sql`create table compiled_query_items (id integer primary key, name text not null)`.execute(db)
  await db
    .insertInto('compiled_query_items')
    .values(names.map((name, i) => ({ id: i + 1, name })))
    .execute()
  return db
}
afterAll(async () => {
  for (const db of dbs) await db.destroy()
})

describe('compiledQuery', () => {
  let db: Db
  beforeAll(async () => {
    db = await itemsDb(['apple', 'banana', 'cherry', 'damson'])
  })

  it('runs the query compiled once with the values of each call, constants kept', async () => {
    let builds = 0
    const named = compiledQuery((db, p: { name: string; after: number }) => {
      builds++
      return db
        .selectFrom('compiled_query_items')
        .select('id')
        .where('name', '>=', p.name)
        .where('id', '>', p.after)
        .where('name', '!=', 'damson')
        .orderBy('id')
    })
    expect(await named(db, { name: 'b', after: 0 })).toEqual([{ id: 2 }, { id: 3 }])
    expect(await named(db, { name: 'a', after: 2 })).toEqual([{ id: 3 }])
    expect(builds).toBe(1)
  })

  it('passes values as parameters, never as SQL', async () => {
    const byName = compiledQuery((db, p: { name: string }) => db.selectFrom('compiled_query_items').selectAll().where('name', '=', p.name))
    expect(await byName(db, { name: "apple' or '1'='1" })).toEqual([])
    expect(await byName(db, { name: 'apple' })).toEqual([{ id: 1, name: 'apple' }])
  })

  it('compiles for each database it runs on', async () => {
    const other = await itemsDb(['zucchini'])
    const first = compiledQuery((db, p: { limit: number }) => db.selectFrom('compiled_query_items').select('name').orderBy('id').limit(p.limit))
    expect(await first(db, { limit: 1 })).toEqual([{ name: 'apple' }])
    expect(await first(other, { limit: 1 })).toEqual([{ name: 'zucchini' }])
  })

  describe("beside transactions (the read may skip Kysely's driver)", () => {
    const names = compiledQuery((db) => db.selectFrom('compiled_query_items').select('name').orderBy('id'))

    it("reads a transaction's own writes inside it", async () => {
      const db = await itemsDb(['apple'])
      const inside = await db.transaction().execute(async (trx) => {
        await trx.insertInto('compiled_query_items').values({ id: 2, name: 'banana' }).execute()
        return names(trx, {})
      })
      expect(inside).toEqual([{ name: 'apple' }, { name: 'banana' }])
    })

    it("never reads another one's uncommitted writes: it waits for the open transaction to end", async () => {
      const db = await itemsDb(['apple'])
      for (const outcome of ['rollback', 'commit'] as const) {
        let release!: () => void
        const ending = new Promise<void>((resolve) => (release = resolve))
        let written!: () => void
        const hasWritten = new Promise<void>((resolve) => (written = resolve))
        const transaction = db.transaction().execute(async (trx) => {
          await trx.insertInto('compiled_query_items').values({ id: 2, name: outcome }).execute()
          written()
          await ending
          if (outcome === 'rollback') throw new Error('rolled back')
        })
        await hasWritten
        let seen: { name: string }[] | undefined
        const read = names(db, {}).then((rows) => (seen = rows))
        await new Promise((resolve) => setTimeout(resolve, 20))
        expect(seen).toBeUndefined()
        release()
        await transaction.catch(() => undefined)
        await read
        expect(seen).toEqual(outcome === 'commit' ? [{ name: 'apple' }, { name: 'commit' }] : [{ name: 'apple' }])
      }
    })

    it("never runs a write (RETURNING included) inside another one's open transaction", async () => {
      const db = await itemsDb(['apple'])
      const rename = compiledQuery((db, p: { id: number; name: string }) =>
        db.updateTable('compiled_query_items').set({ name: p.name }).where('id', '=', p.id).returning(['id', 'name']),
      )
      let release!: () => void
      const ending = new Promise<void>((resolve) => (release = resolve))
      let begun!: () => void
      const hasBegun = new Promise<void>((resolve) => (begun = resolve))
      const transaction = db.transaction().execute(async (trx) => {
        await trx.selectFrom('compiled_query_items').selectAll().execute()
        begun()
        await ending
      })
      await hasBegun
      let renamed: unknown
      const write = rename(db, { id: 1, name: 'apricot' }).then((rows) => (renamed = rows))
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(renamed).toBeUndefined() // waits for the open transaction, like any Kysely query
      release()
      await transaction
      await write
      expect(renamed).toEqual([{ id: 1, name: 'apricot' }])
    })
  })
})
