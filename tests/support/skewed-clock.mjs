// Preloaded with `node --import` into a test server: its clock runs TESSERA_TEST_CLOCK_SKEW_MS
// ahead of everyone's (a host whose NTP is off). Date.now only: what the app reads time by.
const skew = Number(process.env.TESSERA_TEST_CLOCK_SKEW_MS ?? 0)
const realNow = Date.now
Date.now = () => realNow() + skew
