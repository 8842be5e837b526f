/** Replaced at build time by vite.config.ts: true when the test fixture domains are mounted. */
declare const __TESSERA_FIXTURES__: boolean
/** Defined (true) only in the production server bundle, by vite.config.ts. */
declare const __TESSERA_SERVER_BUNDLE__: true | undefined
