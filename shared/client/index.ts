export { BOOT_GLOBAL, settleRuntime, loadAfterPaint, type Boot, type PagePayload, type SettleLine, type Settled } from './boot.ts'
export { hydratePage } from './hydrate.tsx'
export { apiClient } from './api-client.ts'
