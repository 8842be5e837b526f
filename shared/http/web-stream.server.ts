import type { Readable } from 'node:stream'
import { ReadableStream as NodeReadableStream } from 'node:stream/web'

/**
 * A Node stream as the web stream a `Response` takes. Not `Readable.toWeb`: in Node 20 its
 * adapter can push a chunk into the web stream after the visitor left and the stream was
 * cancelled, and the error that throws escapes every handler and ends the process
 * (nodejs/node#54205; a streamed page under load did it in bench:scale). `ReadableStream.from`
 * reads the Node stream only when the response asks for more, and destroys it on cancel.
 */
export function toWebStream(source: Readable): ReadableStream<Uint8Array> {
  // The same class as the global ReadableStream; only Node's types know `from`.
  return NodeReadableStream.from(source as AsyncIterable<Uint8Array>) as unknown as ReadableStream<Uint8Array>
}
