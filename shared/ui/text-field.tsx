import type { InputHTMLAttributes } from 'react'
import { FieldError, useFormResult } from './form.tsx'

export interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string
  label: string
}

/**
 * A labelled input inside a `<Form>`: it shows what the user typed again after a refused
 * submission (never for secret fields: the server leaves those out) and its field's error.
 * @example <TextField name="email" label="Email" type="email" autoComplete="email" required />
 */
export function TextField({ name, label, defaultValue, ...input }: TextFieldProps) {
  const { values } = useFormResult()
  return (
    <>
      <label>
        {label}
        <input name={name} defaultValue={values?.[name] ?? defaultValue} aria-describedby={`${name}-error`} {...input} />
      </label>
      <FieldError name={name} />
    </>
  )
}
