import { PassThrough } from 'node:stream'

/**
 * The stream React writes a page into, which also carries the scripts that deliver deferred
 * data. React writes each flush synchronously, so a script written from a promise callback can
 * never land inside one of React's tags. The stream ends when React is done *and* every
 * deferred value has been written, whichever comes last.
 */
export class DocumentStream extends PassThrough {
  #open = 1 // React's part; `hold()` adds one per deferred value
  #shellSent = false
  #queued: string[] = []

  /** Keeps the stream open for one more part that `release()` will close. */
  hold(): void {
    this.#open++
  }

  release(): void {
    if (--this.#open === 0) super.end()
  }

  /** Writes a script now, or right after the shell if React has not sent it yet. */
  writeScript(html: string): void {
    if (this.#shellSent) this.write(html)
    else this.#queued.push(html)
  }

  /** Called once React has piped the shell into this stream. */
  shellSent(): void {
    this.#shellSent = true
    for (const html of this.#queued.splice(0)) this.write(html)
  }

  /** React calls `end()` when its last boundary is written: that releases React's part only. */
  override end(): this {
    this.release()
    return this
  }
}
