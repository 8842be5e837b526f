/** Replaced at build time by vite.config.ts: true when the test fixture domains are mounted. */
declare const __TESSERA_FIXTURES__: boolean
/** Replaced at build time by vite.config.ts: true in the test build, which checks every API answer against its contract. */
declare const __TESSERA_CHECK_API__: boolean
/** Defined (true) only in the production server bundle, by vite.config.ts. */
declare const __TESSERA_SERVER_BUNDLE__: true | undefined
