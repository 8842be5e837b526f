// The p99 control for bench:scale (results 2026-11-29-07-27-scale.md): a bare Node server, a busy loop of
// WORK_MS milliseconds and a 24 KB body per request. taskset -c 0 node bench/bare/p99-control.mjs; taskset -c 1 wrk -t1 -c32 -d5s --latency http://127.0.0.1:4199/
import http from 'node:http'
const body = 'x'.repeat(24000)
// simulate ~1 ms of synchronous work per request, like a render
const work = () => {
  const end = performance.now() + Number(process.env.WORK_MS ?? 1)
  let n = 0
  while (performance.now() < end) n++
  return n
}
http
  .createServer((_req, res) => {
    work()
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(body)
  })
  .listen(4199, '127.0.0.1')
