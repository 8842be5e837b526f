import type { PageProps } from '#shared/domain'
import { fieldMaxLength, Form, Link, SubmitButton, TextField, useFormResult } from '#shared/ui'
import { MAX_NAME } from '../text-limits.ts'

export default function RegisterPage({ data }: PageProps<{ next: string }>) {
  return (
    <section className="auth-form">
      <h1>Create an account</h1>
      <Form>
        <RegisterFields next={data.next} />
      </Form>
      <p>
        Have an account? <Link href={`/login${data.next === '/' ? '' : `?next=${encodeURIComponent(data.next)}`}`}>Log in</Link>
      </p>
    </section>
  )
}

function RegisterFields({ next }: { next: string }) {
  const { pending } = useFormResult()
  return (
    <>
      <input type="hidden" name="next" value={next} />
      <TextField name="name" label="Name" autoComplete="name" required maxLength={fieldMaxLength(MAX_NAME)} />
      <TextField name="email" label="Email" type="email" autoComplete="email" required />
      <TextField name="password" label="Password (8 characters or more)" type="password" autoComplete="new-password" required minLength={8} />
      <SubmitButton>{pending ? 'Creating…' : 'Create account'}</SubmitButton>
    </>
  )
}
