import { readLine, UsageError, type DomainCommand } from '#shared/domain'
import { ensureAdmin } from './accounts.server.ts'
import { emailSchema, passwordSchema } from './schemas.ts'

const USAGE = '<email>   create an admin, or make an account admin (password read from stdin; typed unseen on a terminal)'

/** The one argument, an email; else a UsageError (exit 2) that says what is wrong. */
function emailOf(args: string[]): string {
  const refuse = (problem: string) => new UsageError(`create-admin: ${problem}. Usage: create-admin ${USAGE}`)
  if (args.length !== 1) throw refuse(args.length ? `one email, not ${args.length} arguments` : 'the email is missing')
  const email = emailSchema.safeParse(args[0])
  if (!email.success) throw refuse(`"${args[0]}" is not an email`)
  return email.data
}

/**
 * `node dist/server.js create-admin <email>`, the password on the first line of stdin: read and
 * checked before the database is opened, so a refused one (exit 2) writes nothing.
 */
export const createAdminCommand: DomainCommand<string> = {
  usage: USAGE,
  // A mistyped DATABASE_PATH would make a new, empty store holding only this admin.
  existingDatabase: true,
  check: (args) => void emailOf(args),
  async read(args, { stdin }) {
    const line = await readLine(stdin, { prompt: `Password for ${emailOf(args)}: `, secret: true })
    const password = passwordSchema.safeParse(line ?? '')
    if (!password.success) throw new UsageError(`create-admin: the password: ${password.error.issues[0]?.message}.`)
    return password.data
  },
  async run(args, { db, input: password }) {
    const email = emailOf(args)
    const { user, created, signedOut } = await ensureAdmin(db, email, password)
    console.log(
      created ? `Created admin ${user.email}` : signedOut ? `Updated admin ${user.email}: its sessions are signed out` : `Admin ${user.email} unchanged`,
    )
  },
}
