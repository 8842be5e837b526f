import { createContext, useContext, useState, type FormHTMLAttributes, type SubmitEvent } from 'react'
import type { ActionState } from './action-state.ts'
import { PageViewContext, RouterContext } from './router-context.ts'

interface FormResult extends ActionState {
  pending: boolean
}

const FormResultContext = createContext<FormResult>({ ok: true, pending: false })

export interface FormProps extends Omit<FormHTMLAttributes<HTMLFormElement>, 'method' | 'action'> {
  /** Where to post; defaults to the current page, whose route's action runs. */
  action?: string
  /** `get`: a search form: its fields become the query of `action`, reached by client navigation. */
  method?: 'get' | 'post'
  /** Clear the fields after a successful submission (default true). */
  resetOnSuccess?: boolean
}

/**
 * A form that posts to its page's action. Without JavaScript it is a plain POST (the server
 * answers with post/redirect/get, or the page again with errors and the input kept). With
 * JavaScript it submits by `fetch`, marks itself pending, shows errors without a reload and, on
 * success, refreshes the page's data in place. Read the state with `useFormResult()`.
 * @example <Form><input name="body" /><FieldError name="body" /><button>Add</button></Form>
 */
export function Form({ action, method = 'post', resetOnSuccess = true, onSubmit, children, ...rest }: FormProps) {
  const router = useContext(RouterContext)
  const view = useContext(PageViewContext)
  const target = action ?? view?.url ?? ''
  const [result, setResult] = useState<ActionState | undefined>(action ? undefined : view?.action)
  const [pending, setPending] = useState(false)

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    onSubmit?.(event)
    if (!router || event.defaultPrevented) return
    event.preventDefault()
    const form = event.currentTarget
    const submitter = event.nativeEvent.submitter
    if (method === 'get') return void router.navigate(queryUrl(target, new FormData(form, submitter)))
    setPending(true)
    try {
      const answer = await router.submit(target, new FormData(form, submitter))
      setResult(answer)
      if (answer.ok && resetOnSuccess) form.reset()
    } finally {
      setPending(false)
    }
  }

  return (
    <FormResultContext.Provider value={{ ok: true, ...result, pending }}>
      <form method={method} action={target} onSubmit={handleSubmit} aria-busy={pending || undefined} {...rest}>
        {children}
      </form>
    </FormResultContext.Provider>
  )
}

/** `action?field=value…` from a GET form's fields, leaving out empty ones (clean, shareable URLs). */
function queryUrl(action: string, fields: FormData): string {
  const query = new URLSearchParams()
  for (const [name, value] of fields) if (typeof value === 'string' && value !== '') query.append(name, value)
  const path = action.split('?')[0] ?? action
  return query.size ? `${path}?${query}` : path
}

/** The enclosing `<Form>`'s state: pending, field errors, the input to show again. */
export function useFormResult(): FormResult {
  return useContext(FormResultContext)
}

/** The first error message of one field, if any. */
export function FieldError({ name }: { name: string }) {
  const message = useFormResult().fieldErrors?.[name]?.[0]
  return message ? (
    <p className="field-error" id={`${name}-error`} role="alert">
      {message}
    </p>
  ) : null
}

/** The form-level error message, if any. */
export function FormError() {
  const { formError } = useFormResult()
  return formError ? (
    <p className="form-error" role="alert">
      {formError}
    </p>
  ) : null
}
