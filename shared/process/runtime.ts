import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Fetch } from './app-entry.ts'

/** How a process serves: production's bundle or dev's Vite, behind the same HTTP server. */
export interface Runtime {
  listener: (req: IncomingMessage, res: ServerResponse) => void
  close(): Promise<void>
  /** `/metrics` for its own listener (METRICS_PORT). */
  metrics?: Fetch | undefined
}
