/**
 * The time an upstream takes to give its answer's head (`timeoutMs`), counted only while the
 * upstream is the one to act: paused while the store waits for the client's next piece of body (a
 * slow upload is the client's time), running while connecting, while the upstream does not read
 * what it was sent, and while it thinks.
 */
export class UpstreamClock {
  #timer: ReturnType<typeof setTimeout> | undefined
  #left: number
  #since = 0
  #stopped = false

  constructor(
    ms: number,
    private readonly onTimeout: () => void,
  ) {
    this.#left = ms
  }

  run(): void {
    if (this.#stopped || this.#timer) return
    this.#since = performance.now()
    this.#timer = setTimeout(this.onTimeout, Math.max(0, this.#left))
  }

  pause(): void {
    if (!this.#timer) return
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#left -= performance.now() - this.#since
  }

  /** For good: the head has come (the body then streams as long as it takes), or the call is over. */
  stop(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}

/**
 * The client's body as it goes to the upstream, the clock paused while the client is the one to
 * send; `failed()` says the client's side broke off (it hung up mid-upload), not the upstream.
 */
export function clientBody(body: ReadableStream<Uint8Array>, clock: UpstreamClock): { body: ReadableStream<Uint8Array>; failed: () => boolean } {
  const reader = body.getReader()
  let failed = false
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      clock.pause()
      try {
        const { done, value } = await reader.read()
        if (done) controller.close()
        else controller.enqueue(value)
      } catch (err) {
        failed = true
        controller.error(err)
      } finally {
        clock.run()
      }
    },
    cancel: (reason) => reader.cancel(reason),
  })
  return { body: watched, failed: () => failed }
}
