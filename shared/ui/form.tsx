import { createContext, useContext, useId, useRef, useState, type FormHTMLAttributes, type SubmitEvent } from 'react'
import { flushSync } from 'react-dom'
import type { ActionState } from './action-state.ts'
import { announce } from './announce.ts'
import { focusHeading } from './focus-heading.ts'
import { PageViewContext, RouterContext } from './router-context.ts'

interface FormResult extends ActionState {
  pending: boolean
  /** True once this form has an answer (ok or not): `submitted && ok` says it worked. */
  submitted: boolean
  /** Makes this form's element ids unique on the page (two forms may both have a `quantity`). */
  idPrefix: string
  /** The form's first field with an error, in the order the fields were posted: it gets the focus. */
  firstInvalid?: string | undefined
}

const FormResultContext = createContext<FormResult>({ ok: true, pending: false, submitted: false, idPrefix: '' })

export interface FormProps extends Omit<FormHTMLAttributes<HTMLFormElement>, 'method' | 'action'> {
  /** Where to post; defaults to the current page, whose route's action runs. */
  action?: string
  /** `get`: a search form: its fields become the query of `action`, reached by client navigation. */
  method?: 'get' | 'post'
  /** Clear the fields after a successful submission (default true). */
  resetOnSuccess?: boolean
  /**
   * What to tell screen readers when a submission by JavaScript succeeds (`Cart updated.`),
   * through the page's live region: a change made in place is otherwise silent.
   */
  announce?: string
  /**
   * Hidden fields to post, e.g. `{ intent: 'remove', productId: 7 }`. On a page with several forms
   * they also say which one a submission without JavaScript came from: the page shows its result
   * (errors, input) only in the form whose fields it echoes.
   */
  fields?: Record<string, string | number>
  /**
   * Hidden fields that say what the page showed, posted too but not part of the form's identity,
   * e.g. `{ version: product.updatedAt }` (the action refuses a save over a newer one). After a
   * refusal the page comes back with the newer values, and the result still shows in this form.
   */
  seen?: Record<string, string | number>
}

/**
 * A form that posts to its page's action. Without JavaScript it is a plain POST (the server
 * answers with post/redirect/get, or the page again with errors and the input kept). With
 * JavaScript it submits by `fetch`, marks itself pending, shows errors without a reload and, on
 * success, refreshes the page's data in place. Read the state with `useFormResult()`.
 *
 * Refused, it says so to everyone: the form's error in a live region (role=alert) that is always
 * there, first in the form; each field with an error `aria-invalid` and described by its message;
 * the focus on the first such field, or on the form's error when no field is to blame
 * (`autofocus` in the page sent without JavaScript, `focus()` with it).
 * @example <Form><TextField name="body" label="Note" /><button>Add</button></Form>
 */
export function Form({ action, method = 'post', resetOnSuccess = true, announce: announcement, fields, seen, onSubmit, children, ...rest }: FormProps) {
  const router = useContext(RouterContext)
  const view = useContext(PageViewContext)
  const idPrefix = useId()
  const target = action ?? view?.url ?? ''
  // A result belongs to the page it was given on: gone after a navigation to another query of the
  // same page (which stays mounted), as it would be after a page load.
  const [outcome, setOutcome] = useState(() => ({ url: view?.url, state: action || !echoes(view?.action, fields) ? undefined : view?.action }))
  // Dropped on the first render at another address, so going back does not bring it back either.
  if (outcome.state && outcome.url !== view?.url) setOutcome({ url: view?.url, state: undefined })
  const result = outcome.url === view?.url ? outcome.state : undefined
  const setResult = (state: ActionState | undefined) => setOutcome({ url: view?.url, state })
  const [pending, setPending] = useState(false)
  // Set at once, where `pending` waits for a render: a double click's second submit sends nothing.
  const submitting = useRef(false)

  async function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    onSubmit?.(event)
    if (!router || event.defaultPrevented) return
    event.preventDefault()
    const form = event.currentTarget
    const submitter = event.nativeEvent.submitter
    if (method === 'get') {
      const url = queryUrl(target, new FormData(form, submitter))
      // The address on screen already (a search run as it was typed, then Enter): no second history
      // entry, and the focus stays in the form.
      const here = sameAddress(new URL(url, location.href), new URL(location.href))
      return void router.navigate(url, { replace: here, keepFocus: here })
    }
    if (submitting.current) return
    submitting.current = true
    setPending(true)
    let answer: ActionState | undefined
    try {
      answer = await router.submit(target, new FormData(form, submitter))
      // Rendered now, so the fields it marks invalid are there to take the focus.
      flushSync(() => setResult(answer))
      if (answer.ok && resetOnSuccess) form.reset()
      if (answer.ok && announcement) announce(announcement)
      if (!answer.ok) focusFirstProblem(form)
    } finally {
      submitting.current = false
      flushSync(() => setPending(false))
    }
    // Done here, on this page: the button, disabled while pending, lost the focus to the body; it
    // gets it back, or, gone with what it acted on (a cart line removed), the page's heading does.
    if (answer?.ok && document.activeElement === document.body) {
      if (submitter?.isConnected) submitter.focus()
      else focusHeading()
    }
  }

  const state: FormResult = { ok: true, ...result, pending, submitted: result !== undefined, idPrefix, firstInvalid: firstInvalid(result) }
  return (
    <FormResultContext.Provider value={state}>
      <form method={method} action={target} onSubmit={handleSubmit} aria-busy={pending || undefined} {...rest}>
        {method === 'post' && <FormAlert />}
        {Object.entries({ ...fields, ...seen }).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {children}
      </form>
    </FormResultContext.Provider>
  )
}

/**
 * After a refusal by fetch, as after one without JavaScript: the focus on the first invalid field,
 * or on the form's error when no field is to blame (the pending button, disabled, lost it).
 */
function focusFirstProblem(form: HTMLFormElement): void {
  const target = form.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.querySelector<HTMLElement>('[role="alert"][tabindex]')
  // Focusing what has the focus already says nothing: leave it, then come back.
  if (document.activeElement === target) target?.blur()
  target?.focus()
}

/** Whether a result without JavaScript came from the form with these hidden fields. */
function echoes(result: ActionState | undefined, fields: FormProps['fields']): boolean {
  return !fields || Object.entries(fields).every(([name, value]) => result?.values?.[name] === String(value))
}

/** The server lists field errors in the order the form posted its fields: the first is the first on screen. */
function firstInvalid(result: ActionState | undefined): string | undefined {
  return Object.entries(result?.fieldErrors ?? {}).find(([, messages]) => messages.length > 0)?.[0]
}

/** `action?field=value…` from a GET form's fields, leaving out empty ones (clean, shareable URLs). */
function queryUrl(action: string, fields: FormData): string {
  const query = new URLSearchParams()
  for (const [name, value] of fields) if (typeof value === 'string' && value !== '') query.append(name, value)
  const path = action.split('?')[0] ?? action
  return query.size ? `${path}?${query}` : path
}

/** One page and query, in any order of its parameters, a blank one as none (a form sends its blank fields). */
function sameAddress(a: URL, b: URL): boolean {
  const query = (url: URL) =>
    [...url.searchParams]
      .flatMap(([name, value]) => (value ? [`${name}=${value}`] : []))
      .sort()
      .join('&')
  return a.pathname === b.pathname && query(a) === query(b)
}

/** The enclosing `<Form>`'s state: pending, field errors, the input to show again. */
export function useFormResult(): FormResult {
  return useContext(FormResultContext)
}

/**
 * The form's error, in a live region present from the first render (a region added together with
 * its message is not announced everywhere). Focusable while it has a message: without JavaScript
 * a refused page loads with the focus on it when no field is to blame, so it is read first.
 */
function FormAlert() {
  const { formError, firstInvalid, idPrefix } = useFormResult()
  const focus = Boolean(formError) && !firstInvalid
  return (
    // biome-ignore lint/a11y/noAutofocus: after a refused submit without JavaScript, focus goes to what went wrong
    <p className="form-error" id={`${idPrefix}-error`} role="alert" tabIndex={formError ? -1 : undefined} autoFocus={focus || undefined}>
      {formError}
    </p>
  )
}

/** Props for a field's control: invalid, described by its message, focused if it is the first. */
export function useFieldAria(name: string, describedBy?: string): { 'aria-invalid'?: true; 'aria-describedby'?: string; autoFocus?: true } {
  const { fieldErrors, idPrefix, firstInvalid } = useFormResult()
  const message = fieldErrors?.[name]?.[0]
  if (!message) return describedBy ? { 'aria-describedby': describedBy } : {}
  return {
    'aria-invalid': true,
    'aria-describedby': [describedBy, fieldErrorId(idPrefix, name)].filter(Boolean).join(' '),
    ...(name === firstInvalid ? { autoFocus: true as const } : {}),
  }
}

const fieldErrorId = (idPrefix: string, name: string) => `${idPrefix}-${name}-error`

/** The first error message of one field, if any; its control names it with `useFieldAria(name)`. */
export function FieldError({ name }: { name: string }) {
  const { fieldErrors, idPrefix } = useFormResult()
  const message = fieldErrors?.[name]?.[0]
  return message ? (
    <p className="field-error" id={fieldErrorId(idPrefix, name)}>
      {message}
    </p>
  ) : null
}
