/** Replaced at build time by vite.config.ts: true when the test fixture domains are mounted. */
declare const __TESSERA_FIXTURES__: boolean
