import type { PageProps } from '#shared/domain'
import { FieldError, Form, FormError, Link, useFormResult } from '#shared/ui'

export default function LoginPage({ data }: PageProps<{ next: string }>) {
  return (
    <section className="auth-form">
      <h1>Log in</h1>
      <Form>
        <LoginFields next={data.next} />
      </Form>
      <p>
        New here? <Link href={`/register${data.next === '/' ? '' : `?next=${encodeURIComponent(data.next)}`}`}>Create an account</Link>
      </p>
    </section>
  )
}

function LoginFields({ next }: { next: string }) {
  const { pending, values } = useFormResult()
  return (
    <>
      <input type="hidden" name="next" value={next} />
      <FormError />
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required defaultValue={values?.email ?? ''} />
      </label>
      <FieldError name="email" />
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <FieldError name="password" />
      <button type="submit" disabled={pending}>
        {pending ? 'Logging in…' : 'Log in'}
      </button>
    </>
  )
}
