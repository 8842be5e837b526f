import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'

/** Tessera's production build (`npm run build`) of the sources in `cwd`, into `outDir`. */
export function buildTessera(cwd: string, outDir: string): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd, env: { ...process.env, TESSERA_OUT_DIR: outDir }, stdio: ['ignore', 'ignore', 'inherit'] })
}

/**
 * Tessera as committed at `ref`, built into `outDir`: checked out beside the working tree with
 * `git worktree` in `checkout` (sharing node_modules), built, and removed again. Uncommitted
 * edits in the working tree (someone else's, half done) are not in it.
 */
export function buildTesseraAt(root: string, ref: string, checkout: string, outDir: string): void {
  rmSync(checkout, { recursive: true, force: true })
  execFileSync('git', ['worktree', 'add', '--detach', '--force', checkout, ref], { cwd: root, stdio: 'ignore' })
  try {
    if (!existsSync(join(checkout, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir')
    buildTessera(checkout, outDir)
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', checkout], { cwd: root, stdio: 'ignore' })
  }
}

/** `ref` and the working tree, each built afresh under `work` (`base/`, `head/`): the two sides of an A/B run. */
export function buildRefAndWorkingTree(root: string, ref: string, work: string): { base: string; head: string } {
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const out = { base: join(work, 'base'), head: join(work, 'head') }
  buildTesseraAt(root, ref, join(work, 'base-src'), out.base)
  buildTessera(root, out.head)
  return out
}
