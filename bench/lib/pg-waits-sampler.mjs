/**
 * `node pg-waits-sampler.mjs <database url> <seconds>`: every 10 ms for that long, what each of
 * PostgreSQL's busy client sessions is doing (pg_stat_activity); prints { samples, counts } as JSON.
 * Run beside a load by bench/lib/pg-waits.ts.
 */
import pg from 'pg'

const [url, seconds] = process.argv.slice(2)
const client = new pg.Client({ connectionString: url })
await client.connect()
const counts = {}
let samples = 0
const end = Date.now() + Number(seconds) * 1000
while (Date.now() < end) {
  const { rows } = await client.query(
    `select state, wait_event_type as type, wait_event as event, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as statement from pg_stat_activity
      where backend_type = 'client backend' and pid <> pg_backend_pid() and state <> 'idle'`,
  )
  samples++
  for (const { state, type, event, statement } of rows) {
    // A session in a transaction waiting for the app's next statement holds its locks meanwhile;
    // a lock wait names the statement that waits (which row is hot).
    const key = state !== 'active' ? state : type === 'Lock' ? `${type}/${event} in "${statement}"` : type ? `${type}/${event}` : 'running'
    counts[key] = (counts[key] ?? 0) + 1
  }
  await new Promise((resolve) => setTimeout(resolve, 10))
}
await client.end()
process.stdout.write(JSON.stringify({ samples, counts }))
