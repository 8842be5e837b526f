import type { ServerResponse } from 'node:http'
import type { Context } from 'hono'
import type { AppEnv } from '#shared/http'

/**
 * The upstream's body on its way to the client. Broken off mid-stream (the upstream died), it is
 * one JSON log line, and the client's connection is cut as the upstream's was (the head is sent:
 * nothing else is honest), closed here: an error out of the body stream would make
 * @hono/node-server print its raw stack to stderr. Without Node's response (tests), the stream errors.
 * @example new Response(bodyToClient(c, res.body, 'reviews'), res)
 */
export function bodyToClient(c: Context<AppEnv>, body: ReadableStream<Uint8Array>, name: string): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (done) controller.close()
        else controller.enqueue(value)
      } catch (err) {
        c.get('log')?.warn('upstream answer broke off', { upstream: name, err })
        const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
        if (!outgoing) return controller.error(err)
        // Closed, Node's response cancels this stream; until then no read (a pull that never ends).
        outgoing.destroy()
        await new Promise<never>(() => {})
      }
    },
    cancel: (reason) => reader.cancel(reason),
  })
}
