import { z } from 'zod'
import { plainText } from '#shared/http'

/** Trimmed and lower-cased, so `Ada@Example.com ` and `ada@example.com` are one account. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address').max(254, 'That email address is too long'))
  .meta({ format: 'email', maxLength: 254, description: 'An email address: trimmed and lower-cased, so one account whatever the case.' })
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
export const passwordSchema = typedPassword().min(8, 'Use at least 8 characters').max(256, 'Use at most 256 characters')
export const nameSchema = plainText().min(1, 'Enter your name').max(100, 'Use at most 100 characters')

export const registerInput = z.object({ email: newEmailSchema, name: nameSchema, password: passwordSchema })
export const loginInput = z.object({ email: emailSchema, password: typedPassword().min(1, 'Enter your password').max(256) })
export const changeNameInput = z.object({ name: nameSchema })
export const changePasswordInput = z.object({ currentPassword: typedPassword().min(1, 'Enter your current password').max(256), newPassword: passwordSchema })

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
