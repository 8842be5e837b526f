import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

export interface Load {
  rps: number
  p50: string
  p99: string
  bytes: number
  /** Answers that were not 2xx/3xx, and requests that failed or timed out: a figure with any is not the view's. */
  errors: number
  /** wrk's own output, with what a script's `done` printed. */
  output: string
}

/** wrk, installed with apt when missing (as root). */
export function ensureWrk(): void {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') return // wrk --version exits 1 but exists
    if (process.getuid?.() !== 0) throw new Error('wrk is missing: install it (Debian: sudo apt-get install -y wrk).')
    execFileSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'inherit' })
  }
}

/** The share of CPU time the whole machine spent busy over `ms`, from /proc/stat. */
export async function machineBusy(ms = 1000): Promise<number> {
  const sample = () => readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number)
  const a = sample()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const b = sample()
  const delta = b.map((value, i) => value - a[i]!)
  const idle = delta[3]! + delta[4]!
  const total = delta.reduce((sum, value) => sum + value, 0)
  return 1 - idle / total
}

/** Waits for a quiet machine (up to a minute); refuses to measure on a busy one. */
export async function requireQuietMachine(): Promise<void> {
  for (let attempt = 0; attempt < 12; attempt++) {
    const busy = await machineBusy()
    if (busy < 0.15) return
    console.log(`machine ${Math.round(busy * 100)}% busy: waiting…`)
    await new Promise((resolve) => setTimeout(resolve, 4000))
  }
  throw new Error('The machine stays busy with something else: no report, the numbers would lie.')
}

// Servers still running when the benchmark stops early (an error, Ctrl-C) are stopped with it.
const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGTERM')
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))

/** Starts a server pinned to core 0 (or `core`); resolves with the process and its time to the first 200. */
export async function startPinned(
  command: string[],
  env: Record<string, string>,
  probeUrl: string,
  core = '0',
  cwd?: string,
): Promise<{ child: ChildProcess; coldStartMs: number }> {
  const started = performance.now()
  const child = spawn('taskset', ['-c', core, ...command], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited with ${child.exitCode}`)
    try {
      if ((await fetch(probeUrl)).status === 200) return { child, coldStartMs: Math.round(performance.now() - started) }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/**
 * wrk on core 1 (or `cores`, e.g. '0,1'): warm-up, then the measured run. `timeoutSeconds` is
 * wrk's per-request timeout (its default, 2 s, drops slower answers from the latency figures).
 */
export function load(
  url: string,
  { seconds = 10, warmupSeconds = 3, connections = 32, threads = 1, cores = '1', timeoutSeconds = 2, headers = {} as Record<string, string>, script = '' } = {},
): Load {
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
  const scriptArgs = script ? ['-s', script] : [] // a wrk Lua script: which request comes next
  const wrk = (duration: number) =>
    execFileSync(
      'taskset',
      [
        '-c',
        cores,
        'wrk',
        `-t${threads}`,
        `-c${connections}`,
        `-d${duration}s`,
        `--timeout`,
        `${timeoutSeconds}s`,
        '--latency',
        ...headerArgs,
        ...scriptArgs,
        url,
      ],
      { encoding: 'utf8' },
    )
  if (warmupSeconds > 0) wrk(warmupSeconds)
  const out = wrk(seconds)
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0)
  // The latency distribution's own lines (" 50%   1.23ms"), not the thread stats' "+/- Stdev" column.
  const p50 = /^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '?'
  const p99 = /^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '?'
  const transfer = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(out)
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[transfer?.[2] ?? 'B'] ?? 1
  const bytes = rps ? Math.round((Number(transfer?.[1] ?? 0) * unit) / rps) : 0
  const socketErrors =
    /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
      .exec(out)
      ?.slice(1)
      .reduce((sum, n) => sum + Number(n), 0) ?? 0
  const errors = socketErrors + Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0)
  return { rps, p50, p99, bytes, errors, output: out }
}

/** Peak resident memory of a process so far (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  return Math.round(kb / 1024)
}

/**
 * The JavaScript a page makes the browser download: its same-origin scripts and preloads
 * (Tessera's and Vike's /assets/, Next's /_next/static/), gzipped. A `noModule` script is the
 * fallback old browsers fetch instead, so it is left out. Tessera names its modules in the boot
 * data (its boot script loads them after the first paint), not in tags.
 */
export async function clientJsGzipBytes(pageUrl: string): Promise<number> {
  const html = await (await fetch(pageUrl)).text()
  const tags = (html.match(/<(?:script|link)\b[^>]*>/g) ?? []).filter((tag) => !/\bnoModule\b/i.test(tag))
  const booted = /"assets":\{"entry":"([^"]+)"[^}]*"preload":\[([^\]]*)\]/.exec(html)
  const bootModules = booted ? [booted[1]!, ...(JSON.parse(`[${booted[2]}]`) as string[])] : []
  const hrefs = new Set([...tags.flatMap((tag) => /(?:src|href)="(\/[^"/][^"]*\.js)"/.exec(tag)?.[1] ?? []), ...bootModules])
  let total = 0
  for (const href of hrefs) total += gzipSync(Buffer.from(await (await fetch(new URL(href, pageUrl))).arrayBuffer())).length
  return total
}

/** Stops a server and waits until it is gone, so it takes no CPU from the next one measured. */
export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** Stops a server at once (SIGKILL: not after the requests it still has queued) and waits until it is gone. */
export function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}
