import { Hono } from 'hono'
import { z } from 'zod'
import { clientNetwork, operation, type AppEnv } from '#shared/http'
import { registerUser } from './accounts.server.ts'
import { requireUser, signIn, signOut } from './guard.server.ts'
import { logIn } from './log-in.server.ts'
import { limitRegistration } from './rate-limits.server.ts'
import { loginInput, registerInput, userSchema } from './schemas.ts'

const userBody = z.object({ user: userSchema })
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
  .get(
    '/me',
    operation({ id: 'auth.me', summary: 'Who is signed in', access: 'signed-in', responses: { 200: userBody } }, async (c) =>
      c.json({ user: await requireUser(c) }, 200),
    ),
  )
