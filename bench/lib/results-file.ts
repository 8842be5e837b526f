import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A report's time as its title says it: `2026-11-29 07:27` (UTC). */
export const reportTime = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ')

/**
 * Prints a benchmark's report and writes it to bench/results/<date>-<time><suffix>.md, unless
 * the run measured a part only (`partial` names the setting that made it so).
 */
export function publishReport(root: string, report: string, { suffix = '', at = new Date(), partial = '' } = {}): void {
  console.log(`\n${report}`)
  if (partial) {
    console.log(`A partial run (${partial}): no results file written.`)
    return
  }
  mkdirSync(join(root, 'bench/results'), { recursive: true })
  const file = join(root, 'bench/results', `${reportTime(at).replace(/[ :]/g, '-')}${suffix}.md`)
  writeFileSync(file, report)
  console.log(`Written to ${file}`)
}
