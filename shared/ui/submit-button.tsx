import type { ButtonHTMLAttributes } from 'react'
import { useFormResult } from './form.tsx'

/**
 * A `<Form>`'s submit button, disabled while the form is being submitted (with JavaScript), so a
 * second click sends nothing: the shopper sees it was taken.
 * @example <Form fields={{ intent: 'cancel' }}><SubmitButton className="danger">Cancel this order</SubmitButton></Form>
 */
export function SubmitButton({ disabled, ...button }: Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'>) {
  const { pending } = useFormResult()
  return <button type="submit" disabled={pending || disabled} {...button} />
}
