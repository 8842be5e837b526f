import type { PageProps } from '#shared/domain'
import { FieldError, Form, FormError, Link, useFormResult } from '#shared/ui'

export default function RegisterPage({ data }: PageProps<{ next: string }>) {
  return (
    <section className="auth-form">
      <h1>Create an account</h1>
      <Form>
        <RegisterFields next={data.next} />
      </Form>
      <p>
        Have an account? <Link href="/login">Log in</Link>
      </p>
    </section>
  )
}

function RegisterFields({ next }: { next: string }) {
  const { pending, values } = useFormResult()
  return (
    <>
      <input type="hidden" name="next" value={next} />
      <FormError />
      <label>
        Name
        <input name="name" autoComplete="name" required defaultValue={values?.name ?? ''} />
      </label>
      <FieldError name="name" />
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required defaultValue={values?.email ?? ''} />
      </label>
      <FieldError name="email" />
      <label>
        Password <small>(8 characters or more)</small>
        <input name="password" type="password" autoComplete="new-password" required minLength={8} />
      </label>
      <FieldError name="password" />
      <button type="submit" disabled={pending}>
        {pending ? 'Creating…' : 'Create account'}
      </button>
    </>
  )
}
