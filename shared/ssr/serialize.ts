const unsafe = /[<>&\u2028\u2029]/g
const escapes: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
}

/**
 * JSON that is safe inside an inline `<script>`: `</script>`, `<!--` and the JS line separators
 * U+2028/U+2029 are escaped, so data can never close the script or break the code around it.
 * @example `self.data=${serializeForScript(data)}`
 */
export function serializeForScript(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(unsafe, (char) => escapes[char]!)
}
