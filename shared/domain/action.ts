import type { z } from 'zod'
import type { LoaderContext } from './page.ts'

/** Thrown by an action to refuse the input with messages, like a failed schema. */
export class ActionInvalid extends Error {
  constructor(
    readonly fieldErrors: Record<string, string[]>,
    readonly formError?: string,
  ) {
    super(formError ?? 'The form has errors.')
  }
}

/**
 * Refuses an action's input with field messages, e.g. a rule only the database can check.
 * @example if (await emailTaken(db, input.email)) invalid({ email: ['That email is registered'] })
 */
export function invalid(fieldErrors: Record<string, string[]>, formError?: string): never {
  throw new ActionInvalid(fieldErrors, formError)
}

/**
 * A page's action: the Server Actions equivalent, declared as the page's `action`. Its `<Form>`
 * posts here; `input` validates the form fields, all strings (read them with `#shared/http`'s
 * `plainText`, `integerText`, `idText`, `centsText`; never `z.coerce`, which reads `0x10` as 16).
 * `run` gets the parsed input, and the route's params typed from the page's path. On success the
 * page is shown again with fresh data (post/redirect/get without JavaScript, in place with it),
 * unless `run` calls `redirect()`.
 * @example
 * definePage({
 *   path: '/notes/:id',
 *   …,
 *   action: {
 *     input: z.object({ body: plainText().min(1) }),
 *     run: async ({ db, params }, input) => { await addNote(db, params.id, input.body) },
 *   },
 * })
 */
export interface PageAction<Params = Record<string, string>, Input extends z.ZodType = z.ZodType> {
  input: Input
  run(ctx: LoaderContext<string, Params>, input: z.output<Input>): Promise<void> | void
}
