import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { codeOnly, migrationChecksum } from './migration-checksum.ts'

const migration = `import { sql } from 'kysely'

/** Makes the notes. */
export async function up(db) {
  await db.schema
    .createTable('notes') // one row a note
    .addColumn('body', 'text', (c) => c.notNull(),)
    .execute()
}
`

it('ignores comments, whitespace and trailing commas, never what strings say', () => {
  const reformatted = migration.replace(/\n\s*/g, ' ').replace('/** Makes the notes. */', '/* Made by hand. */').replace('// one row a note', '')
  expect(migrationChecksum(reformatted)).toBe(migrationChecksum(migration))
  expect(codeOnly("const a = 'x  // y', b = `/* z */ `\n")).toBe("consta='x  // y',b=`/* z */ `")
  expect(migrationChecksum(migration.replace("'notes'", "'note'"))).not.toBe(migrationChecksum(migration))
  expect(migrationChecksum(migration.replace('c.notNull()', 'c'))).not.toBe(migrationChecksum(migration))
  expect(migrationChecksum('sql`a  b`')).not.toBe(migrationChecksum('sql`a b`')) // inside a string, space is SQL
})

describe('reads what a parser reads', () => {
  it('notices an edit after a regular expression holding // or a quote (a scanner took them for a comment, a string)', () => {
    const slashes = "const url = /^https?:\\/\\//; await db.schema.createTable('notes').execute()"
    expect(migrationChecksum(slashes.replace("'notes'", "'memos'"))).not.toBe(migrationChecksum(slashes))
    const quote = "const apostrophe = /'/g // it's an apostrophe\nawait db.schema.createTable('notes')\n  .execute()"
    expect(migrationChecksum(quote.replace('\n  .execute()', '.execute()'))).toBe(migrationChecksum(quote)) // a reformat
    expect(migrationChecksum(quote.replace("it's an apostrophe", "it's a quote"))).toBe(migrationChecksum(quote)) // a comment
    expect(migrationChecksum(quote.replace("'notes'", "'memos'"))).not.toBe(migrationChecksum(quote))
  })

  it('keeps a nested template literal whole, its SQL spaces included (a scanner ended the outer one at the inner one)', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a migration's text, templates in it
    const nested = 'sql`drop trigger ${name}${postgres ? sql` on orders` : sql``}`'
    expect(codeOnly(nested)).toBe(nested)
    expect(migrationChecksum(nested.replace(' on orders', 'on orders'))).not.toBe(migrationChecksum(nested))
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a migration's text, templates in it
    expect(codeOnly("sql`a ${ {k: '`'}.k } b` // done")).toBe("sql`a ${ {k: '`'}.k } b`")
  })

  it('tells a division from a regular expression by the token before it', () => {
    expect(codeOnly('const half = total / 2 // of the total\nconst re = /a b/')).toBe('consthalf=total/2constre=/a b/')
    expect(codeOnly('x = (a) / b / c')).toBe('x=(a)/b/c')
    expect(codeOnly("if (ok) return /'/.test(s)")).toBe("if(ok)return/'/.test(s)")
    // After a statement's condition, a `)` is no operand: what follows begins an expression.
    expect(codeOnly("if (ok) /'/.test(s) && run('x') // once")).toBe("if(ok)/'/.test(s)&&run('x')")
    expect(codeOnly('while (f(a) / 2) /x/.exec(s)')).toBe('while(f(a)/2)/x/.exec(s)')
  })

  // A limit for a hang, not a measure: ~280 files, some seconds on a busy machine.
  it('reads the source files of the domains and shared/ (migrations among them) as TypeScript itself parses them', { timeout: 60_000 }, () => {
    const files = execFileSync('git', ['ls-files', 'domains/*.ts', 'shared/*.ts'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((file) => !/\.test\.ts$/.test(file))
    expect(files.length).toBeGreaterThan(100)
    const misread = files.filter((file) => {
      const text = readFileSync(file, 'utf8')
      return codeOnly(text) !== parsedCodeOnly(text)
    })
    expect(misread).toEqual([])
  })
})

/**
 * codeOnly's result read from TypeScript's parse: the tokens run together, trivia dropped;
 * strings, regular expressions and template literals (their `${…}` included) as written; a comma
 * before a closing bracket dropped. A parser knows a regular expression from a division.
 */
function parsedCodeOnly(text: string): string {
  const file = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  let code = ''
  const visit = (node: ts.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return
    if (ts.isTemplateLiteral(node) || ts.isTemplateLiteralTypeNode(node) || node.getChildCount(file) === 0) {
      const token = node.getText(file)
      if (/^[)\]}]$/.test(token) && code.endsWith(',')) code = code.slice(0, -1)
      code += token
      return
    }
    for (const child of node.getChildren(file)) visit(child)
  }
  visit(file)
  return code
}
