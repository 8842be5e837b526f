import { afterAll, expect } from 'vitest'
import { startedServers } from './server-process.ts'

/**
 * The test build answers a breach of an API route's contract with a 500 `contract_violation` and
 * prints what differs (checkApiResponses). A test that does not look at that answer's status would
 * let it pass: after each file, no server it started may have printed one.
 */
afterAll(() => {
  const breaches = startedServers.flatMap((server) =>
    server
      .output()
      .split('\n')
      .filter((line) => line.includes('against its contract')),
  )
  startedServers.length = 0
  expect(breaches).toEqual([])
})
