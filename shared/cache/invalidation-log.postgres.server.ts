import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { openDedicatedConnection, type Db } from '#shared/db'
import type { InvalidatedCache, InvalidationLog, ResolvedLogOptions } from './invalidation-log.server.ts'
import { applyInvalidation, insertInvalidation, pruner, table } from './invalidation-rows.server.ts'
import type { InvalidationKind } from './tables.server.ts'

/** How long a sync waits for its own notification before calling the connection lost. */
const syncTimeoutMs = 5_000
/** Once started: a sync this often finds a connection that died silently, and prunes. */
const heartbeatMs = 10_000
const firstRetryMs = 100
const longestRetryMs = 5_000

interface Listener {
  client: pg.Client
  /** Where this process's own sync markers come back: a channel only this connection listens on. */
  syncChannel: string
  notifyChannel: string
  /** Stopped or lost: what still arrives on it is not applied (the cache was dropped, or the log stopped). */
  closed: boolean
}

/**
 * PostgreSQL: a trigger NOTIFYs every invalidation row as it commits (migration 004), and this
 * process LISTENs on a connection of its own (not the pool's), so a change reaches every host in
 * milliseconds. NOTIFY does not replay: a host that loses its connection drops its whole page
 * cache, listens again (retrying with backoff while the server is away) and drops it once more
 * when it listens, for the pages cached while it could not hear.
 * `sync()` sends a marker through the server and waits for it to come back: notifications arrive
 * in commit order, so every invalidation committed before the call has been applied by then.
 */
export function listeningInvalidationLog(db: Db, cache: InvalidatedCache, { retentionMs, now, onError }: ResolvedLogOptions): InvalidationLog {
  let listener: Listener | undefined
  let connecting: Promise<Listener> | undefined
  let started = false
  let missedSome = false
  let retryMs = firstRetryMs
  let retry: NodeJS.Timeout | undefined
  let heartbeat: NodeJS.Timeout | undefined
  const prune = pruner(db, { now, retentionMs })
  const markers = new Map<string, () => void>()
  // Rows whose value was too long for the payload, being read: a sync waits for them.
  const reading = new Set<Promise<void>>()

  function listen(): Promise<Listener> {
    if (listener) return Promise.resolve(listener)
    connecting ??= connect().finally(() => void (connecting = undefined))
    return connecting
  }

  async function connect(): Promise<Listener> {
    const client = await openDedicatedConnection(db)
    const next: Listener = { client, syncChannel: '', notifyChannel: '', closed: false }
    client.on('error', (error) => lost(next, error))
    client.on('end', () => lost(next, new Error('Page cache: the listening connection to PostgreSQL closed')))
    client.on('notification', (message) => heard(next, message))
    try {
      const { rows } = await client.query<{ channel: string; pid: number }>(
        `select left(current_schema() || ':tessera_cache', 63) as channel, pg_backend_pid() as pid`,
      )
      next.notifyChannel = rows[0]!.channel
      next.syncChannel = `tessera_cache_sync_${rows[0]!.pid}`
      await client.query(`listen ${client.escapeIdentifier(next.notifyChannel)}; listen ${client.escapeIdentifier(next.syncChannel)}`)
    } catch (error) {
      client.removeAllListeners('end')
      await client.end().catch(() => undefined)
      throw error
    }
    listener = next
    retryMs = firstRetryMs
    // Listening again after a loss: whatever was cached meanwhile may have missed a notification.
    if (missedSome) cache.invalidateAll()
    missedSome = false
    return next
  }

  function heard(from: Listener, { channel, payload = '' }: pg.Notification): void {
    if (from.closed) return
    if (channel === from.syncChannel) return void markers.get(payload)?.()
    let row: { id: number; kind: InvalidationKind; value: string | null }
    try {
      row = JSON.parse(payload) as typeof row
    } catch (error) {
      // Not the trigger's (someone NOTIFYed the channel by hand): it named something, we cannot tell what.
      cache.invalidateAll()
      onError(error)
      return
    }
    if (row.value !== null) {
      applyInvalidation(cache, row.kind, row.value)
      return
    }
    const read: Promise<void> = db
      .selectFrom(table)
      .select(['kind', 'value'])
      .where('id', '=', row.id)
      .executeTakeFirst()
      .then((full) => void (full ? applyInvalidation(cache, full.kind, full.value) : cache.invalidateAll()))
      .catch((error: unknown) => {
        cache.invalidateAll()
        onError(error)
      })
      .finally(() => reading.delete(read))
    reading.add(read)
  }

  function lost(which: Listener, error: unknown): void {
    if (listener !== which) return
    close(which)
    cache.invalidateAll()
    missedSome = true
    // Syncs waiting on it: everything is dropped, which is all they asked for.
    for (const settle of markers.values()) settle()
    onError(error)
    if (started) reconnectLater()
  }

  function reconnectLater(): void {
    if (retry) return
    retry = setTimeout(() => {
      retry = undefined
      listen().catch((error: unknown) => {
        onError(error)
        if (started) reconnectLater()
      })
    }, retryMs)
    retry.unref()
    retryMs = Math.min(retryMs * 2, longestRetryMs)
  }

  /**
   * Never rejects: when it cannot hear the server (no connection, no answer) it drops the whole
   * page cache, which is all a sync promises (nothing here is older than the call), and reports.
   */
  async function sync(): Promise<void> {
    try {
      await roundTrip(await listen())
    } catch (error) {
      cache.invalidateAll()
      missedSome = true
      onError(error)
    }
    await Promise.all(reading)
    await prune().catch(onError)
  }

  /**
   * One marker on the listening connection at a time: a pg client runs one query at a time (queuing
   * more on it is deprecated, and gone in pg 9). Syncs that come while one is out share the next,
   * which is sent after their call, so each still hears everything committed before it.
   */
  const trips = new WeakMap<Listener, { out?: Promise<void>; next?: Promise<void> }>()
  function roundTrip(current: Listener): Promise<void> {
    let trip = trips.get(current)
    if (!trip) trips.set(current, (trip = {}))
    const ofThis = trip
    if (!ofThis.out) {
      ofThis.out = sendMarker(current).finally(() => {
        ofThis.out = undefined
      })
      return ofThis.out
    }
    ofThis.next ??= ofThis.out
      .catch(() => undefined)
      .then(() => {
        ofThis.next = undefined
        return roundTrip(current)
      })
    return ofThis.next
  }

  async function sendMarker(current: Listener): Promise<void> {
    const marker = randomUUID()
    const back = new Promise<void>((resolve) => markers.set(marker, resolve))
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<void>(
      (resolve) =>
        (timer = setTimeout(
          () => resolve(lost(current, new Error(`Page cache: no answer on the listening connection within ${syncTimeoutMs} ms`))),
          syncTimeoutMs,
        )),
    )
    try {
      await current.client.query('select pg_notify($1, $2)', [current.syncChannel, marker])
      await Promise.race([back, timeout])
    } finally {
      clearTimeout(timer)
      markers.delete(marker)
    }
  }

  async function record(kind: InvalidationKind, value: string): Promise<void> {
    applyInvalidation(cache, kind, value)
    await insertInvalidation(db, kind, value, now())
    // Its own notification comes back too: applied before this resolves, so pages rendered after it stay.
    await sync()
  }

  return {
    revalidateTag: (tag) => record('tag', tag),
    revalidatePath: (path) => record('path', path),
    poll: sync,
    sync,
    start() {
      if (started) return
      started = true
      listen().catch((error: unknown) => {
        onError(error)
        reconnectLater()
      })
      heartbeat = setInterval(() => void sync(), heartbeatMs)
      heartbeat.unref()
    },
    stop() {
      started = false
      clearInterval(heartbeat)
      clearTimeout(retry)
      retry = undefined
      // Whatever is committed while stopped goes unheard: listening again (a later sync) drops the cache.
      if (listener) close(listener)
      missedSome = true
      // One still connecting is closed as soon as it is up.
      void connecting?.then(
        (late) => void (started || listener !== late || close(late)),
        () => undefined,
      )
    },
  }

  function close(which: Listener): void {
    if (listener === which) listener = undefined
    which.closed = true
    which.client.removeAllListeners('end')
    void which.client.end().catch(() => undefined)
  }
}
