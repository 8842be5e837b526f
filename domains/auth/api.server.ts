import { Hono } from 'hono'
import { z } from 'zod'
import { clientNetwork, operation, type AppEnv } from '#shared/http'
import { registerUser } from './accounts.server.ts'
import { requireUser, signIn, signOut } from './guard.server.ts'
import { logIn } from './log-in.server.ts'
import { RESET_REQUESTED, requestPasswordReset, resetPassword } from './password-reset.server.ts'
import { limitRegistration } from './rate-limits.server.ts'
import { loginInput, passwordResetConfirmInput, passwordResetInput, registerInput, userSchema } from './schemas.ts'

const userBody = z.object({ user: userSchema })
const resetRequested = z.object({ message: z.string() }).meta({ examples: [{ message: RESET_REQUESTED }] })
const RESETS_OFF = 'This store sends no mail (no mail transport configured): `password_resets_unavailable`'
const SESSION = 'Sets the session cookie (`tessera_session`): send it back with every request that needs a signed-in user.'

/** `/api/auth`: JSON sign-up, sign-in, sign-out and who-am-I. Users never carry password data. */
export const authApi = new Hono<AppEnv>()
  .post(
    '/register',
    operation(
      {
        id: 'auth.register',
        summary: 'Create an account and sign in',
        description: SESSION,
        json: registerInput,
        responses: { 201: userBody, 409: 'That email is already registered: `email_taken`', 429: 'Too many sign-ups from this address (with `Retry-After`)' },
      },
      async (c) => {
        await limitRegistration(c.var.db, clientNetwork(c))
        const user = await signIn(c, await registerUser(c.var.db, c.req.valid('json')))
        return c.json({ user }, 201)
      },
    ),
  )
  .post(
    '/login',
    operation(
      {
        id: 'auth.login',
        summary: 'Sign in',
        description: SESSION,
        json: loginInput,
        responses: { 200: userBody, 401: 'Wrong email or password: `invalid_credentials`', 429: 'Too many attempts (with `Retry-After`)' },
      },
      async (c) => {
        const user = await logIn(c, c.req.valid('json'))
        return c.json({ user }, 200)
      },
    ),
  )
  .post(
    '/logout',
    operation(
      {
        id: 'auth.logout',
        summary: 'Sign out',
        description: 'Ends the session and clears its cookie; signed out already, it does nothing.',
        responses: { 204: null },
      },
      async (c) => {
        await signOut(c)
        return c.body(null, 204)
      },
    ),
  )
  .post(
    '/password-reset',
    operation(
      {
        id: 'auth.requestPasswordReset',
        summary: 'Mail a link to reset a forgotten password',
        description:
          'Queues a mail with a link to `/reset-password?token=…`, working once for 30 minutes, to the account of this address. The answer is the same whether the address has an account or not (and so is the work done before it).',
        json: passwordResetInput,
        responses: { 202: resetRequested, 429: 'Too many requests from this client or for this address (with `Retry-After`)', 503: RESETS_OFF },
      },
      async (c) => {
        await requestPasswordReset(c, c.req.valid('json').email)
        return c.json({ message: RESET_REQUESTED }, 202)
      },
    ),
  )
  .post(
    '/password-reset/confirm',
    operation(
      {
        id: 'auth.confirmPasswordReset',
        summary: "Set a new password with a reset link's token, and sign in",
        description: `Uses the token up, sets the password, ends every other session of the account and voids its other reset links. ${SESSION}`,
        json: passwordResetConfirmInput,
        responses: {
          200: userBody,
          400: 'The token was used, voided by a newer one or a password change, expired, or never was: `invalid_reset_token`',
          429: 'Too many new passwords from this client (with `Retry-After`)',
        },
      },
      async (c) => {
        const user = await resetPassword(c, c.req.valid('json'))
        return c.json({ user }, 200)
      },
    ),
  )
  .get(
    '/me',
    operation({ id: 'auth.me', summary: 'Who is signed in', access: 'signed-in', responses: { 200: userBody } }, async (c) =>
      c.json({ user: await requireUser(c) }, 200),
    ),
  )
