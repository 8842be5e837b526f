import cluster, { type Worker } from 'node:cluster'
import { AggregatorRegistry, type Registry } from 'prom-client'
import type { MetricsText } from './metrics-routes.server.ts'

const ASK = 'tessera:metrics?'
const ANSWER = 'tessera:metrics!'
type Message = { type?: string; id?: number; text?: string; contentType?: string }

/**
 * With WORKERS > 1 each worker counts its own requests. The primary sums every worker's metrics
 * (prom-client's AggregatorRegistry): whichever worker a scrape reaches asks it for them, or the
 * primary serves them itself on METRICS_PORT with the function this returns.
 * Call in the primary once, before forking.
 * @example if (cluster.isPrimary) serveMetrics(answerMetricsForWorkers())
 */
export function answerMetricsForWorkers(): () => Promise<MetricsText> {
  const aggregator = new AggregatorRegistry()
  cluster.on('message', (worker: Worker, message: Message) => {
    if (message?.type !== ASK) return
    void aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text, contentType: aggregator.contentType }),
      (err: unknown) => worker.send({ type: ANSWER, id: message.id, text: `# metrics unavailable: ${String(err)}\n`, contentType: 'text/plain' }),
    )
  })
  return async () => ({ text: await aggregator.clusterMetrics(), contentType: aggregator.contentType })
}

let asked = 0

/** In a cluster worker: this worker's registry joins the primary's sum, and a scrape gets the sum. */
export function clusterMetrics(registry: Registry): (() => Promise<MetricsText>) | undefined {
  if (!cluster.isWorker) return undefined
  // Constructing one is what makes prom-client answer the primary's requests in a worker.
  new AggregatorRegistry()
  AggregatorRegistry.setRegistries([registry])
  return () =>
    new Promise((resolve, reject) => {
      const id = ++asked
      const onMessage = (message: Message) => {
        if (message?.type !== ANSWER || message.id !== id) return
        clearTimeout(timer)
        process.off('message', onMessage)
        resolve({ text: message.text ?? '', contentType: message.contentType ?? 'text/plain' })
      }
      const timer = setTimeout(() => {
        process.off('message', onMessage)
        reject(new Error('The cluster primary did not answer with metrics'))
      }, 5000)
      process.on('message', onMessage)
      process.send!({ type: ASK, id })
    })
}
