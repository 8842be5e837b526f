import { Hono } from 'hono'
import { clientIp, validate, type AppEnv } from '#shared/http'
import { registerUser } from './accounts.server.ts'
import { requireUser, signIn, signOut } from './guard.server.ts'
import { logIn } from './log-in.server.ts'
import { limitRegistration } from './rate-limits.server.ts'
import { loginInput, registerInput } from './schemas.ts'

/** `/api/auth`: JSON sign-up, sign-in, sign-out and who-am-I. Users never carry password data. */
export const authApi = new Hono<AppEnv>()
  .post('/register', validate('json', registerInput), async (c) => {
    limitRegistration(clientIp(c))
    const user = await signIn(c, await registerUser(c.var.db, c.req.valid('json')))
    return c.json({ user }, 201)
  })
  .post('/login', validate('json', loginInput), async (c) => {
    const user = await logIn(c, c.req.valid('json'))
    return c.json({ user }, 200)
  })
  .post('/logout', async (c) => {
    await signOut(c)
    return c.body(null, 204)
  })
  .get('/me', async (c) => c.json({ user: await requireUser(c) }, 200))
