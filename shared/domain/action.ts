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

export interface PageAction {
  input: z.ZodType
  run(ctx: LoaderContext, input: unknown): Promise<void> | void
}

/**
 * A page's action: the Server Actions equivalent. Its `<Form>` posts here; `input` validates the
 * form fields, all strings (read them with `#shared/http`'s `plainText`, `integerText`, `idText`,
 * `centsText`; never `z.coerce`, which reads `0x10` as 16). On success the page is shown again with
 * fresh data (post/redirect/get without JavaScript, in place with it), unless `run` calls `redirect()`.
 * @example
 * defineAction(z.object({ body: plainText().min(1) }), async ({ db }, input) => {
 *   await addNote(db, input.body)
 * })
 */
export function defineAction<Schema extends z.ZodType>(
  input: Schema,
  run: (ctx: LoaderContext, input: z.output<Schema>) => Promise<void> | void,
): PageAction {
  return { input, run: run as PageAction['run'] }
}
