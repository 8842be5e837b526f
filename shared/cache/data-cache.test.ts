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

describe('DataCache, asked at the same moment', () => {
  it('computes once for requests that miss together, and once more after an invalidation', async () => {
    const cache = new DataCache<string>({ tags: ['products'], maxEntries: 10 })
    let calls = 0
    let finish!: (value: string) => void
    const slow = () => {
      calls++
      return new Promise<string>((resolve) => (finish = resolve))
    }
    const together = [cache.get(dbA, 'a', slow), cache.get(dbA, 'a', slow), cache.get(dbA, 'a', slow)]
    expect(calls).toBe(1)
    const other = cache.get(dbB, 'a', async () => 'B') // another database: not shared
    finish('A')
    expect(await Promise.all(together)).toEqual(['A', 'A', 'A'])
    expect(await other).toBe('B')
    // A computation begun before a change is not shared with a request after it.
    const before = cache.get(dbA, 'b', slow)
    const finishBefore = finish
    cache.invalidateTag('products')
    const after = cache.get(dbA, 'b', slow)
    expect(calls).toBe(3)
    finish('after')
    finishBefore('before')
    expect([await before, await after]).toEqual(['before', 'after'])
  })

  it('shares a failure with those waiting, and tries again for the next request', async () => {
    const cache = new DataCache<string>({ tags: ['products'], maxEntries: 10 })
    let fail!: (err: Error) => void
    const failing = () => new Promise<string>((_, reject) => (fail = reject))
    const together = [cache.get(dbA, 'a', failing), cache.get(dbA, 'a', failing)]
    fail(new Error('database unavailable'))
    for (const waiting of together) await expect(waiting).rejects.toThrow('database unavailable')
    expect(await cache.get(dbA, 'a', async () => 'A')).toBe('A')
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
