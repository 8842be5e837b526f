/**
 * What to make of a request's `Range` header (RFC 9110 §14.2): one byte range to serve as a 206
 * (or a 416 when the file is too short for it), written the one way serveStatic reads it; or
 * undefined, to ignore it and send the whole file with a 200. Ignored: another unit (`items=`),
 * a malformed range or one ending before it starts (`bytes=abc`, `bytes=5-2`: invalid, which the
 * RFC has servers ignore), and several ranges (`bytes=0-1,5-6`), which a server may answer whole
 * rather than as multipart/byteranges: a hashed asset is small, and browsers never ask for two.
 * @example singleByteRange('bytes=0-99') // 'bytes=0-99'
 */
export function singleByteRange(header: string): string | undefined {
  const match = /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/i.exec(header)
  if (!match) return undefined
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return undefined // `bytes=-`
  if (first !== '' && last !== '' && BigInt(last) < BigInt(first)) return undefined
  return `bytes=${first}-${last}`
}
