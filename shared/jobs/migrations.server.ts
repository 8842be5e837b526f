import type { Migration } from 'kysely'
import * as createJobs from './migrations/002-create-jobs.server.ts'
import * as jobTraceContext from './migrations/003-job-trace-context.server.ts'

/** The job queue's own migrations: run them with the domains' (`runMigrations` from `#shared/db`). */
export const jobMigrations: Record<string, Required<Migration>> = {
  // The platform's migrations share one namespace, numbered across it: 001 is the page cache's.
  'platform/002-create-jobs': createJobs,
  'platform/003-job-trace-context': jobTraceContext,
}
