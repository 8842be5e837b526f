import type { InputHTMLAttributes } from 'react'
import { FieldError, useFieldAria, useFormResult } from './form.tsx'

export interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string
  label: string
}

/**
 * A labelled input inside a `<Form>`: it shows what the user typed again after a refused
 * submission (never for secret fields: the server leaves those out), and its field's error,
 * wired for assistive technology (`useFieldAria`).
 * @example <TextField name="email" label="Email" type="email" autoComplete="email" required />
 */
export function TextField({ name, label, defaultValue, 'aria-describedby': describedBy, ...input }: TextFieldProps) {
  const { values } = useFormResult()
  const aria = useFieldAria(name, describedBy)
  return (
    <>
      <label>
        {label}
        <input name={name} defaultValue={values?.[name] ?? defaultValue} {...input} {...aria} />
      </label>
      <FieldError name={name} />
    </>
  )
}
