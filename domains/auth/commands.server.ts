import { createInterface } from 'node:readline'
import type { DomainCommand } from '#shared/domain'
import { ensureAdmin } from './accounts.server.ts'
import { emailSchema, passwordSchema } from './schemas.ts'

/** `node dist/server.js create-admin <email>`, the password on the first line of stdin. */
export const createAdminCommand: DomainCommand = {
  usage: '<email>   create an admin, or make an account admin (password read from stdin)',
  async run([email], { db, stdin }) {
    const parsedEmail = emailSchema.safeParse(email)
    if (!parsedEmail.success) throw new Error('Usage: create-admin <email>  (then type the password and press Enter)')
    const lines = createInterface({ input: stdin })
    const [line] = await lines[Symbol.asyncIterator]()
      .next()
      .then(({ value }) => [value as string | undefined])
    lines.close()
    const password = passwordSchema.safeParse(line ?? '')
    if (!password.success) throw new Error(`Password: ${password.error.issues[0]?.message}`)
    const { user, created, signedOut } = await ensureAdmin(db, parsedEmail.data, password.data)
    console.log(
      created ? `Created admin ${user.email}` : signedOut ? `Updated admin ${user.email}: its sessions are signed out` : `Admin ${user.email} unchanged`,
    )
  },
}
