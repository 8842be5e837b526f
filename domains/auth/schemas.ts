import { z } from 'zod'
import { plainText } from '#shared/http'
import { characters, fieldMaxLength } from '#shared/ui'
import { MAX_NAME, MAX_PASSWORD } from './text-limits.ts'

/** What a host name cannot hold: URL syntax (a port, a path…) and spaces, which `new URL` would take or drop. */
const NOT_IN_A_HOST = /[\s:/?#[\]\\@%]/
const NON_ASCII = /\P{ASCII}/u

/**
 * The address with its domain in ASCII, as mail is sent to it: `exämple.com` (IDNA, in
 * whatever Unicode form it was typed) becomes `xn--exmple-cua.com`, so one account however the
 * domain is spelt. Through the URL parser (UTS #46, the same in the browser and on the server);
 * left as it is when it is no host name, for z.email to refuse.
 */
export function withAsciiDomain(email: string): string {
  const at = email.lastIndexOf('@')
  const domain = email.slice(at + 1)
  if (at < 0 || !NON_ASCII.test(domain) || NOT_IN_A_HOST.test(domain)) return email
  try {
    return `${email.slice(0, at + 1)}${new URL(`http://${domain}/`).hostname}`
  } catch {
    return email
  }
}

/**
 * Trimmed and lower-cased, its domain in ASCII (withAsciiDomain), so `Ada@Example.com `,
 * `ada@example.com`, and `ada@exämple.com` and `ada@xn--exmple-cua.com`, are one account each.
 * Letters outside ASCII before the @ are refused, saying why: mail to them needs every server on
 * the way to speak SMTPUTF8 (RFC 6531), and many do not.
 */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform(withAsciiDomain)
  .pipe(
    z
      .string()
      .refine((email) => !NON_ASCII.test(email.slice(0, Math.max(0, email.lastIndexOf('@')))), {
        message: 'Use an address with only plain letters (a–z), digits and . _ + - before the @: many mail services cannot deliver to other letters there',
        abort: true,
      })
      .pipe(z.email('Enter a valid email address').max(254, 'That email address is too long')),
  )
  .meta({
    format: 'email',
    maxLength: 254,
    description: 'An email address: trimmed and lower-cased, its domain in ASCII (`exämple.com` is `xn--exmple-cua.com`), so one account however it is spelt.',
  })
/**
 * A new account's address within RFC 5321's limits too: 64 octets before the @ (ASCII here: z.email
 * takes no other); past them no mail arrives. Logging in still takes any address an account has.
 */
const newEmailSchema = emailSchema
  .refine((email) => email.indexOf('@') <= 64, 'The part before the @ is too long (64 characters at most)')
  .meta({ format: 'email', maxLength: 254, description: 'An email address, at most 64 characters before the @: trimmed and lower-cased.' })
/**
 * A password as typed: any characters a keyboard or a password manager gives, but no lone
 * surrogate (half of a character, which no keyboard types): hashed as UTF-8, every one of them
 * becomes U+FFFD, so "\ud800" × 8 and "\udfff" × 8 were the same password.
 */
const typedPassword = () => z.string().refine((password) => !/\p{Cs}/u.test(password), 'Use characters a keyboard types (this holds half of one)')
export const passwordSchema = characters(typedPassword(), { min: 8, max: MAX_PASSWORD })
/** A password as sent to be checked: any a new one could be (its ceiling in code units), and no more. */
const givenPassword = (empty: string) => typedPassword().min(1, empty).max(fieldMaxLength(MAX_PASSWORD))
export const nameSchema = characters(plainText().min(1, 'Enter your name'), { max: MAX_NAME })

export const registerInput = z.object({ email: newEmailSchema, name: nameSchema, password: passwordSchema })
export const loginInput = z.object({ email: emailSchema, password: givenPassword('Enter your password') })
export const changeNameInput = z.object({ name: nameSchema })
export const changePasswordInput = z.object({ currentPassword: givenPassword('Enter your current password'), newPassword: passwordSchema })

export type RegisterInput = z.infer<typeof registerInput>
export type LoginInput = z.infer<typeof loginInput>

/** A user as the API and pages show it: never any password data. */
export const userSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: z.enum(['customer', 'admin']),
    createdAt: z.string(),
  })
  .meta({ id: 'User', examples: [{ id: 7, email: 'ada@example.com', name: 'Ada Lovelace', role: 'customer', createdAt: '2026-11-01T08:00:00.000Z' }] })
export type User = z.infer<typeof userSchema>

/** A reset link's token as minted (32 random bytes in base64url); anything else is no token of ours. */
export const resetTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'This reset link is incomplete: open the whole link from the mail, or ask for a new one')
  .meta({ description: 'The `token` of the reset link mailed (`/reset-password?token=…`): 43 characters.' })
export const passwordResetInput = z.object({ email: emailSchema })
/** A new password by reset link: the rules of a new account's password. */
export const passwordResetConfirmInput = z.object({ token: resetTokenSchema, password: passwordSchema })
