import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, runMigrations, testDatabaseLocation } from '#shared/db'
import { allOf, DataCache, dataCaches } from './data-cache.server.ts'
import { cacheMigrations, createInvalidationLog } from './invalidation-log.server.ts'

const dbA = {}
const dbB = {}
const counting = () => {
  let calls = 0
  return {
    compute: (value: string) => async () => {
      calls++
      return value
    },
    calls: () => calls,
  }
}

describe('DataCache', () => {
  it('computes a value once per key and database, and keeps the most recently used', async () => {
    const cache = new DataCache<string>({ tags: ['products'], maxEntries: 2 })
    const { compute, calls } = counting()
    expect(await cache.get(dbA, 'a', compute('A'))).toBe('A')
    expect(await cache.get(dbA, 'a', compute('not again'))).toBe('A')
    expect(await cache.get(dbB, 'a', compute('B'))).toBe('B') // another database: its own
    await cache.get(dbA, 'b', compute('b'))
    await cache.get(dbA, 'a', compute('-')) // a used last: b is the oldest now
    await cache.get(dbA, 'c', compute('c')) // over two: b goes
    expect(await cache.get(dbA, 'a', compute('a again'))).toBe('A')
    expect(await cache.get(dbA, 'b', compute('b again'))).toBe('b again')
    expect(calls()).toBe(5)
  })

  it('drops everything on its tags, not on others', async () => {
    const cache = new DataCache<string>({ tags: ['products'], maxEntries: 10 })
    await cache.get(dbA, 'a', async () => 'old')
    cache.invalidateTag('orders')
    cache.invalidatePath()
    expect(await cache.get(dbA, 'a', async () => 'new')).toBe('old')
    cache.invalidateTag('products')
    expect(await cache.get(dbA, 'a', async () => 'new')).toBe('new')
  })

  it('does not keep a value computed across an invalidation (it may predate the change)', async () => {
    const cache = new DataCache<string>({ tags: ['products'], maxEntries: 10 })
    let finish!: (value: string) => void
    const pending = cache.get(dbA, 'a', () => new Promise<string>((resolve) => (finish = resolve)))
    cache.invalidateTag('products')
    finish('computed before the change')
    expect(await pending).toBe('computed before the change') // the caller that asked gets it
    expect(await cache.get(dbA, 'a', async () => 'after')).toBe('after')
  })
})

describe('dataCaches', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it("are dropped by another process's invalidation, through the log that drops pages", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-data-cache-'))
    dirs.push(dir)
    const location = await testDatabaseLocation(dir)
    const [here, there] = [openDatabase(location), openDatabase(location)]
    await runMigrations(here, cacheMigrations)
    const cache = new DataCache<string>({ tags: ['products'], maxEntries: 10 })
    const pages = { dropped: [] as string[], invalidateTag: (tag: string) => void pages.dropped.push(tag), invalidatePath: () => {}, invalidateAll: () => {} }
    const hereLog = createInvalidationLog(here, allOf(pages, dataCaches), { pollMs: 10 })
    const thereLog = createInvalidationLog(there, { invalidateTag: () => {}, invalidatePath: () => {}, invalidateAll: () => {} }, { pollMs: 10 })
    try {
      await hereLog.poll() // its starting point: "up"
      await cache.get(here, 'mug', async () => 'before')
      await thereLog.revalidateTag('products')
      await hereLog.poll()
      expect(pages.dropped).toEqual(['products'])
      expect(await cache.get(here, 'mug', async () => 'after')).toBe('after')
    } finally {
      hereLog.stop()
      thereLog.stop()
      await Promise.all([here.destroy(), there.destroy()])
    }
  })
})
