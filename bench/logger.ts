/**
 * Tessera's logger against pino (decision 015): the cost of one request's line, with the request
 * id bound by a child logger as the app does (`log.child({ requestId })` per request, then the
 * request line), both writing in batches to /dev/null. Rounds alternate; the report is the median
 * of each, and their ratio. `npm run bench:logger` (pin it: `taskset -c 1 npm run bench:logger`).
 */
import { openSync, write } from 'node:fs'
import pino from 'pino'
import { createLogger } from '#shared/log'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const BATCHES = 2000
const PER_BATCH = 100 // lines per turn of the event loop, as requests arrive: writes happen between

const devNull = openSync('/dev/null', 'w')
let pending: string[] = []
let pendingLength = 0
/** What the app's logger does with stdout: lines joined, written at 64 KiB. */
function batchedWrite(line: string): void {
  pending.push(line)
  pendingLength += line.length
  if (pendingLength < 64 * 1024) return
  write(devNull, pending.join(''), () => {})
  pending = []
  pendingLength = 0
}

const ours = createLogger({ level: 'info', format: 'json', write: batchedWrite })
const destination = pino.destination({ dest: '/dev/null', sync: false, minLength: 16_000 })
await new Promise((resolve) => destination.once('ready', resolve))
const theirs = pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination)

const fields = (i: number) => ({ method: 'GET', path: '/products', status: 200, ms: 1.2 + (i % 7) })
const contenders = {
  tessera: (i: number) => ours.child({ requestId: `req-${i}` }).info('request', fields(i)),
  pino: (i: number) => theirs.child({ requestId: `req-${i}` }).info(fields(i), 'request'),
}

/** Nanoseconds a request's line costs, timing only the logging (not the event loop's turns). */
async function measure(log: (i: number) => void): Promise<number> {
  let ns = 0n
  for (let batch = 0; batch < BATCHES; batch++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < PER_BATCH; i++) log(batch * PER_BATCH + i)
    ns += process.hrtime.bigint() - start
    await new Promise((resolve) => setImmediate(resolve))
  }
  return Number(ns) / (BATCHES * PER_BATCH)
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const results: Record<keyof typeof contenders, number[]> = { tessera: [], pino: [] }
await measure(contenders.tessera) // warm-up, both
await measure(contenders.pino)
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? (['tessera', 'pino'] as const) : (['pino', 'tessera'] as const)
  for (const name of order) results[name].push(await measure(contenders[name]))
}
const ratios = results.pino.map((ns, i) => ns / results.tessera[i]!)
console.log(`one request's line (child logger with its id + the line), median of ${ROUNDS} alternated rounds of ${BATCHES * PER_BATCH} lines:`)
console.log(`  tessera  ${median(results.tessera).toFixed(0)} ns`)
console.log(`  pino     ${median(results.pino).toFixed(0)} ns   (pino ${pino.version})`)
console.log(
  `  pino / tessera, median of per-round ratios: ${median(ratios).toFixed(2)}x; difference ${(median(results.pino) - median(results.tessera)).toFixed(0)} ns a request`,
)
destination.flushSync()
