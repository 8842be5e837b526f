/**
 * What a form shows after its action ran: field errors and the user's input (never secrets), or
 * success. The same shape is rendered by the server (no JavaScript) and returned as JSON (fetch).
 */
export interface ActionState {
  ok: boolean
  /** Messages per field name, e.g. `{ email: ['Enter an email address'] }`, in the form's order. */
  fieldErrors?: Record<string, string[]>
  /** A message about the whole form. */
  formError?: string
  /** The error's code, when the action refused with one (`stock_changed`): for a form to act on, as an API client would. */
  code?: string
  /** What the user typed, to put back into the form. Secret fields are left out. */
  values?: Record<string, string>
}

/** The answer to an action submitted by `fetch` (header `X-Tessera-Action: 1`). */
export type ActionResponse = ActionState & { redirect?: string }

export const ACTION_HEADER = 'X-Tessera-Action'
export const DATA_HEADER = 'X-Tessera-Data'
