import type { Compilable, CompiledQuery } from 'kysely'
import type { Db } from './database.server.ts'
import { readAtOnce } from './read-at-once.server.ts'

const PARAMETER = Symbol('parameter')
type StandIn = { [PARAMETER]: string }

/** Hands the builder a stand-in for each parameter: `params.id` is `{ [PARAMETER]: 'id' }`. */
const standIns = new Proxy({}, { get: (_, name) => ({ [PARAMETER]: String(name) }) })
const isStandIn = (value: unknown): value is StandIn => typeof value === 'object' && value !== null && PARAMETER in value

/**
 * A query built and compiled once per database, then run with new values. Kysely otherwise builds
 * and compiles the query on every call, which for a small indexed read costs more than SQLite
 * running it. The builder receives stand-ins for the values; use them only where a value goes
 * (a comparison, a limit), never where Kysely would look at it (an `in` list, an identifier).
 * On SQLite, outside a transaction, a read runs at once on the connection (see `readAtOnce`).
 * @example
 * const productById = compiledQuery((db, p: { id: number }) => db.selectFrom('products').selectAll().where('id', '=', p.id))
 * const [row] = await productById(db, { id: 12 })
 */
export function compiledQuery<P extends Record<string, unknown>, Row>(build: (db: Db, params: P) => Compilable<Row>): (db: Db, params: P) => Promise<Row[]> {
  const compiled = new WeakMap<Db, CompiledQuery<Row>>()
  return async (db, params) => {
    let query = compiled.get(db)
    if (!query) compiled.set(db, (query = build(db, standIns as P).compile()))
    const parameters = query.parameters.map((value) => (isStandIn(value) ? params[value[PARAMETER]] : value))
    return readAtOnce<Row>(db, query.sql, parameters) ?? (await db.executeQuery<Row>({ ...query, parameters })).rows
  }
}
