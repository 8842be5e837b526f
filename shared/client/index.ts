export { BOOT_GLOBAL, settleRuntime, type Boot, type Settled } from './boot.ts'
export { hydratePage } from './hydrate.tsx'
