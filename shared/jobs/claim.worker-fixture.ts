/**
 * A worker process for worker-threads.test.ts: its own connection to the shared database (a SQLite
 * file or a PostgreSQL schema), waits for
 * "go", runs due jobs until none is left pending or running, and reports the ids it ran.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '#shared/db'
import { createJobWorker } from './worker.server.ts'

const { location, name } = workerData as { location: string; name: string }
const db = openDatabase(location)
const ran: number[] = []
const errors: string[] = []
const worker = createJobWorker(db, {
  workerId: name,
  handlers: {
    record: async (_payload, job) => {
      ran.push(job.id)
      // A little work, so the other threads get to race for the next claims meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 2))
    },
  },
  onError: (error) => void errors.push(String(error)),
})

const go = new Promise((resolve) => parentPort!.once('message', resolve))
parentPort!.postMessage('ready')
await go
for (;;) {
  const count = await worker.runDue()
  if (count > 0) continue
  const left = await db.selectFrom('tessera_jobs').select('id').where('status', 'in', ['pending', 'running']).limit(1).executeTakeFirst()
  if (!left) break
  await new Promise((resolve) => setTimeout(resolve, 5))
}
await db.destroy()
parentPort!.postMessage({ ran, errors })
