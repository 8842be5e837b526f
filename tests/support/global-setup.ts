import { rm } from 'node:fs/promises'
import type { TestProject } from 'vitest/node'
import { buildForTests } from './build.ts'
import { ensureChromium } from './chromium.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    builtRoot: string
  }
}

/** Once per run of the production tests: the browser, and one production build to run. */
export default async function setup(project: TestProject) {
  ensureChromium()
  const root = await buildForTests()
  project.provide('builtRoot', root)
  return () => rm(root, { recursive: true, force: true })
}
