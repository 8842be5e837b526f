import { expect, it } from 'vitest'
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
