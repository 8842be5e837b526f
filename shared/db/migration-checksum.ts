import { createHash } from 'node:crypto'

/**
 * A migration's checksum: SHA-256 of its file's text without comments, whitespace or trailing
 * commas, so a reworded comment or a reformat (Biome) is no edit, while any change to the code is.
 * The text is the file itself (`?raw`), the same in `npm run dev` and in the build, whose bundled
 * code (renamed, reordered by Rollup) is not.
 * @example migrationChecksum("export async function up(db) {} // one") === migrationChecksum('export async function up(db) {}')
 */
export function migrationChecksum(source: string): string {
  return createHash('sha256').update(codeOnly(source)).digest('hex')
}

/**
 * The text's code: its tokens, run together, comments and whitespace dropped; strings, regular
 * expressions and template literals (their `${…}` included) kept whole, as written.
 * A lexer, not TypeScript's parser: this runs at every start of the shipped server, whose bundle
 * does not carry TypeScript (~9 MB). Its one guess is a parser's: whether a `/` begins a regular
 * expression or divides, read from the token before it. migration-checksum.test.ts compares it
 * with TypeScript's parse of every TypeScript file in the repository.
 */
export function codeOnly(source: string): string {
  return lex(source, 0, false).code
}

/** Keywords after which a `/` begins a regular expression, as after an operator. */
const BEFORE_EXPRESSION = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await'])
/** Keywords whose `( … )` is a condition: a statement, so a `/` after its `)` begins a regular expression. */
const BEFORE_CONDITION = new Set(['if', 'while', 'for', 'with'])
const WORD = /[\w$\u0080-\uffff]/
const SPACE = /\s/

/**
 * Reads code from `start`: to the end, or (`inTemplate`) to the `}` that closes a template
 * literal's `${`, returning the index after it. `code` is what the checksum reads.
 */
function lex(source: string, start: number, inTemplate: boolean): { code: string; end: number } {
  let code = ''
  let last = '' // the last token read: a word or a punctuator
  let depth = 0
  const conditions: boolean[] = [] // per open `(`: whether it holds a statement's condition
  let afterCondition = false // the last token is the `)` that ends one
  let i = start
  while (i < source.length) {
    const char = source[i]!
    const next = source[i + 1]
    let end: number
    if (char === '/' && next === '/') {
      end = source.indexOf('\n', i)
      i = end === -1 ? source.length : end
      continue
    }
    if (char === '/' && next === '*') {
      end = source.indexOf('*/', i + 2)
      i = end === -1 ? source.length : end + 2
      continue
    }
    if (SPACE.test(char)) {
      i++
      continue
    }
    if (char === "'" || char === '"') end = stringEnd(source, i)
    else if (char === '`') end = templateEnd(source, i)
    else if (char === '/' && (afterCondition || startsExpression(last))) end = regexEnd(source, i) ?? i + 1
    else if (WORD.test(char)) {
      for (end = i + 1; end < source.length && WORD.test(source[end]!); end++);
    } else {
      if (char === '{') depth++
      if (char === '(') conditions.push(BEFORE_CONDITION.has(last))
      if (char === '}' && inTemplate && depth-- === 0) return { code, end: i + 1 }
      // A trailing comma before a closing bracket is formatting (Biome adds one when a call breaks lines).
      if ((char === ')' || char === ']' || char === '}') && code.endsWith(',')) code = code.slice(0, -1)
      end = i + 1
    }
    afterCondition = char === ')' && conditions.pop() === true
    last = source.slice(i, end)
    code += last
    i = end
  }
  return { code, end: source.length }
}

/** After a word that ends an operand (a name, a number, `this`) or `)` `]` `}`, a `/` divides (`if (…)` aside: the caller knows). */
function startsExpression(last: string): boolean {
  if (last === '') return true
  if (WORD.test(last[0]!)) return BEFORE_EXPRESSION.has(last)
  return !(last === ')' || last === ']' || last === '}' || /^['"`/]/.test(last))
}

function stringEnd(source: string, start: number): number {
  let i = start + 1
  while (i < source.length && source[i] !== source[start]) i += source[i] === '\\' ? 2 : 1
  return Math.min(i + 1, source.length)
}

/** The index after a template literal's closing backtick, past every `${…}` (templates nest). */
function templateEnd(source: string, start: number): number {
  let i = start + 1
  while (i < source.length) {
    const char = source[i]
    if (char === '\\') i += 2
    else if (char === '`') return i + 1
    else if (char === '$' && source[i + 1] === '{') i = lex(source, i + 2, true).end
    else i++
  }
  return source.length
}

/** The index after a regular expression literal (its flags too), or undefined: no `/` closes it on its line, so it was a division. */
function regexEnd(source: string, start: number): number | undefined {
  let inClass = false
  for (let i = start + 1; i < source.length; i++) {
    const char = source[i]!
    if (char === '\\') i++
    else if (char === '\n' || char === '\r') return undefined
    else if (char === '[') inClass = true
    else if (char === ']') inClass = false
    else if (char === '/' && !inClass) {
      let end = i + 1
      while (end < source.length && WORD.test(source[end]!)) end++
      return end
    }
  }
  return undefined
}
