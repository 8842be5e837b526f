import { Worker } from 'node:worker_threads'

/**
 * A worker thread running a TypeScript file (tsx's loader, registered in that thread): one
 * "process" for the tests that need several connections to one database at once.
 */
export function startTsWorker(file: URL, workerData: unknown): Worker {
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}) })`
  return new Worker(boot, { eval: true, workerData })
}
