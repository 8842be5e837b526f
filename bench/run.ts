/**
 * `npm run bench`: every section of the benchmark, one after the other, each writing its own
 * results file in bench/results/. BENCH_SECTIONS=servers,lighthouse runs some of them (in this
 * order whatever the order given). Each section is its own script, run here as a child process so
 * one's servers and memory are gone before the next measures; a failed section does not stop the
 * rest, and the run exits 1 naming it. See bench/README.md.
 */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

const sections = [
  { name: 'servers', script: 'bench/servers.ts', what: 'Tessera against Next.js, Vike, React Router and the bare ceiling', minutes: 10 },
  { name: 'hosts', script: 'bench/hosts.ts', what: 'one host on SQLite, one and two on PostgreSQL', minutes: 12 },
  { name: 'lighthouse', script: 'bench/lighthouse.ts', what: 'Lighthouse on every page type, /products beside the frameworks', minutes: 8 },
  { name: 'scale', script: 'bench/scale.ts', what: 'every catalogue and orders view at 1k, 100k and 1M products', minutes: 45 },
] as const

const root = resolve(import.meta.dirname, '..')
const chosen = process.env.BENCH_SECTIONS?.split(',').map((name) => name.trim())
const unknown = chosen?.filter((name) => !sections.some((section) => section.name === name)) ?? []
if (unknown.length) {
  console.error(`BENCH_SECTIONS: unknown section "${unknown.join('", "')}" (use ${sections.map((section) => section.name).join(', ')})`)
  process.exit(2)
}
const plan = sections.filter((section) => !chosen || chosen.includes(section.name))

console.log(`npm run bench: ${plan.length} section(s), about ${plan.reduce((sum, section) => sum + section.minutes, 0)} minutes on a quiet machine`)
for (const section of plan) console.log(`  ${section.name.padEnd(11)} ~${String(section.minutes).padStart(2)} min  ${section.what}`)

const failed: string[] = []
for (const section of plan) {
  const started = performance.now()
  console.log(`\n=== ${section.name} (${section.script}) ===`)
  const run = spawnSync(process.execPath, ['--import', 'tsx', section.script], { cwd: root, stdio: 'inherit' })
  const minutes = ((performance.now() - started) / 60_000).toFixed(1)
  if (run.status === 0) console.log(`=== ${section.name}: done in ${minutes} min ===`)
  else {
    failed.push(section.name)
    console.error(`=== ${section.name}: failed (${run.signal ?? `exit ${run.status}`}) after ${minutes} min ===`)
  }
}
if (failed.length) {
  console.error(`\nnpm run bench: ${failed.join(', ')} failed; the other sections' results files are written.`)
  process.exit(1)
}
