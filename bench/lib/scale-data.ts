/**
 * The scale benchmark's databases: one per catalogue size, made through Tessera's own commands
 * (`seed --count N`, `seed-orders`) and its own sign-up, so they hold what an operator's would.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import pg from 'pg'
import { startPinned, stop } from './measure.ts'

export const ADMIN = { email: 'bench-admin@example.com', password: 'bench password' }
const SHOPPER = { email: 'bench-shopper@example.com', password: 'bench password', name: 'Bench Shopper' }

export interface ScaleDatabase {
  size: number
  /** Where it is: a SQLite file, or a PostgreSQL URL whose search_path is the size's own schema. */
  location: string
  /** DATABASE_PATH or DATABASE_URL, as an operator would set it. */
  env: Record<string, string>
  /** Orders in the store (/admin/orders lists them all), of which the shopper's. */
  orders: number
  shopperOrders: number
  /** Session cookies, made once: login is rate-limited, and a session lasts longer than a run. */
  cookies: { admin: string; shopper: string }
  seedSeconds: number
}

/** As many orders as products; the shopper has one in a hundred (10,000 at a million). */
export const ordersFor = (size: number) => ({ orders: size, shopperOrders: Math.max(1, Math.round(size / 100)) })

const sessionOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')

/**
 * Where the `size` database goes: a SQLite file under `dir`, or, given a PostgreSQL server's URL,
 * a schema of its own there (`scale_<size>`, made afresh), reached through the URL's search_path.
 */
export async function scaleLocation(dir: string, size: number, postgresUrl?: string): Promise<{ location: string; env: Record<string, string> }> {
  if (!postgresUrl) {
    const location = join(dir, `catalogue-${size}.db`)
    return { location, env: { DATABASE_PATH: location } }
  }
  const schema = `scale_${size}`
  const client = new pg.Client({ connectionString: postgresUrl })
  await client.connect()
  try {
    await client.query(`drop schema if exists ${schema} cascade`)
    await client.query(`create schema ${schema}`)
  } finally {
    await client.end()
  }
  const url = new URL(postgresUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return { location: url.href, env: { DATABASE_URL: url.href } }
}

/** `size` products and their orders in a new database (see scaleLocation), through the built server in `dist`. */
export async function makeScaleDatabase(dist: string, dir: string, size: number, port: number, postgresUrl?: string): Promise<ScaleDatabase> {
  const { location, env } = await scaleLocation(dir, size, postgresUrl)
  const cli = (args: string[], input = '') =>
    execFileSync('node', [join(dist, 'server.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      input,
      stdio: ['pipe', 'inherit', 'inherit'],
    })
  const started = performance.now()
  cli(['seed', '--count', String(size)])
  // The admin as an operator makes one (the password on stdin); the shopper signs up as a visitor would.
  cli(['create-admin', ADMIN.email], `${ADMIN.password}\n`)
  const origin = `http://127.0.0.1:${port}`
  const server = await startPinned(['node', join(dist, 'server.js')], { ...env, HOST: '127.0.0.1', PORT: String(port) }, `${origin}/healthz`)
  const post = (url: string, body: object) =>
    fetch(`${origin}${url}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify(body) })
  const registered = await post('/api/auth/register', SHOPPER)
  const login = await post('/api/auth/login', ADMIN)
  await stop(server.child)
  if (registered.status !== 201 || login.status !== 200) throw new Error(`scale data: sign-up answered ${registered.status}, admin login ${login.status}`)
  const { orders, shopperOrders } = ordersFor(size)
  if (orders > shopperOrders) cli(['seed-orders', '--count', String(orders - shopperOrders), '--user', ADMIN.email])
  cli(['seed-orders', '--count', String(shopperOrders), '--user', SHOPPER.email])
  const seedSeconds = Math.round((performance.now() - started) / 100) / 10
  return { size, location, env, orders, shopperOrders, cookies: { admin: sessionOf(login), shopper: sessionOf(registered) }, seedSeconds }
}
