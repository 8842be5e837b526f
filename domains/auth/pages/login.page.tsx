import type { PageProps } from '#shared/domain'
import { Form, Link, SubmitButton, TextField, useFormResult } from '#shared/ui'

export default function LoginPage({ data }: PageProps<{ next: string }>) {
  return (
    <section className="auth-form">
      <h1>Log in</h1>
      <Form>
        <LoginFields next={data.next} />
      </Form>
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link href={`/register${data.next === '/' ? '' : `?next=${encodeURIComponent(data.next)}`}`}>Create an account</Link>
      </p>
    </section>
  )
}

function LoginFields({ next }: { next: string }) {
  const { pending } = useFormResult()
  return (
    <>
      <input type="hidden" name="next" value={next} />
      <TextField name="email" label="Email" type="email" autoComplete="email" required />
      <TextField name="password" label="Password" type="password" autoComplete="current-password" required />
      <SubmitButton>{pending ? 'Logging in…' : 'Log in'}</SubmitButton>
    </>
  )
}
