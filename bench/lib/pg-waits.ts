import { spawn } from 'node:child_process'
import { join } from 'node:path'

/**
 * Samples what PostgreSQL's sessions do for `seconds` (bench/lib/pg-waits-sampler.mjs, on `cores`)
 * while a load runs, and answers it as the average number of sessions in each state: "running"
 * (on a CPU), "Lock/transactionid" (queued behind another transaction's row lock), "idle in
 * transaction" (holding locks while the app thinks), and so on. Tells a hot row from a busy CPU.
 */
export function sampleWaits(url: string, seconds: number, cores: string): Promise<string> {
  const child = spawn('taskset', ['-c', cores, 'node', join(import.meta.dirname, 'pg-waits-sampler.mjs'), url, String(seconds)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`pg-waits-sampler exited ${code}`))
      const { samples, counts } = JSON.parse(out) as { samples: number; counts: Record<string, number> }
      const average = Object.entries(counts)
        .sort(([, a], [, b]) => b - a)
        .map(([state, n]) => `${(n / samples).toFixed(1)} ${state}`)
      resolve(`PostgreSQL sessions on average: ${average.join(', ') || 'none busy'} (${samples} samples)`)
    })
  })
}
