import { z } from 'zod'
import type { ErrorBody } from './errors.ts'

/** The body of every API error, as a schema: the OpenAPI document's `ApiError` component. */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable and machine-readable, e.g. `not_found`, `invalid_input`, `empty_cart`.' }),
      message: z.string().meta({ description: 'For people: may change wording at any time.' }),
      issues: z
        .array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), code: z.string().optional() }))
        .optional()
        .meta({ description: 'With `invalid_input`: what is wrong with which field of the input.' }),
    }),
  })
  .meta({
    id: 'ApiError',
    description: 'Every error answer: `{ error: { code, message, issues? } }`.',
    examples: [
      {
        error: { code: 'invalid_input', message: 'The input is not valid.', issues: [{ path: ['email'], message: 'Enter an email', code: 'invalid_format' }] },
      },
    ],
  })

// The schema and the ErrorBody type the server builds its errors with are one shape: checked by tsc.
type Same<A, B> = [A, B] extends [B, A] ? true : false
true satisfies Same<z.infer<typeof apiErrorSchema>, ErrorBody>
