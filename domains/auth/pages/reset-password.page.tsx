import type { PageProps } from '#shared/domain'
import { Form, Link, SubmitButton, TextField, useFormResult } from '#shared/ui'

export type ResetPasswordData =
  | { state: 'ready'; token: string; email: string; otherAccount?: string }
  | { state: 'invalid'; message: string }
  | { state: 'unavailable' }

export default function ResetPasswordPage({ data }: PageProps<ResetPasswordData>) {
  return (
    <section className="auth-form">
      <h1>Choose a new password</h1>
      {data.state === 'ready' ? (
        <>
          <p>
            For <bdi>{data.email}</bdi>.
            {data.otherAccount && (
              <>
                {' '}
                You are signed in as <bdi>{data.otherAccount}</bdi>: setting this password signs you out of it and in as <bdi>{data.email}</bdi>.
              </>
            )}
          </p>
          <Form>
            <ResetFields token={data.token} email={data.email} />
          </Form>
        </>
      ) : data.state === 'invalid' ? (
        <>
          <p role="status">{data.message}</p>
          <p>
            <Link href="/forgot-password">Ask for a new link</Link>
          </p>
        </>
      ) : (
        <p role="status">Password resets are not available on this store. Contact us to regain your account.</p>
      )}
    </section>
  )
}

function ResetFields({ token, email }: { token: string; email: string }) {
  const { pending } = useFormResult()
  return (
    <>
      <input type="hidden" name="token" value={token} />
      {/* The account, for password managers to save the new password under (not sent: no name). */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <TextField name="password" label="New password (8 characters or more)" type="password" autoComplete="new-password" required minLength={8} />
      <SubmitButton>{pending ? 'Saving…' : 'Set the new password'}</SubmitButton>
    </>
  )
}
