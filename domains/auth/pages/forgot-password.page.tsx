import type { PageProps } from '#shared/domain'
import { Form, Link, SubmitButton, TextField, useFormResult } from '#shared/ui'

export interface ForgotPasswordData {
  available: boolean
  /** The request went through (the page after the post): the one answer, whatever the address. */
  sent: string | null
}

export default function ForgotPasswordPage({ data }: PageProps<ForgotPasswordData>) {
  return (
    <section className="auth-form">
      <h1>Forgot your password?</h1>
      {!data.available ? (
        <p role="status">Password resets are not available on this store. Contact us to regain your account.</p>
      ) : data.sent ? (
        <p role="status">{data.sent} Check your inbox, and your spam folder.</p>
      ) : (
        <>
          <p>Enter the address of your account: we will mail you a link to choose a new password.</p>
          <Form>
            <ForgotFields />
          </Form>
        </>
      )}
      <p>
        Remembered it? <Link href="/login">Log in</Link>
      </p>
    </section>
  )
}

function ForgotFields() {
  const { pending } = useFormResult()
  return (
    <>
      <TextField name="email" label="Email" type="email" autoComplete="email" required />
      <SubmitButton>{pending ? 'Sending…' : 'Send the link'}</SubmitButton>
    </>
  )
}
