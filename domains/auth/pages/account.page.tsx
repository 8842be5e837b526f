import type { PageProps } from '#shared/domain'
import { fieldMaxLength, Form, SubmitButton, TextField, useFormResult } from '#shared/ui'
import { MAX_NAME } from '../text-limits.ts'
import type { User } from '../schemas.ts'

export default function AccountPage({ data }: PageProps<{ user: User; passwordChanged: boolean }>) {
  const { user } = data
  return (
    <section className="account">
      <h1>Your account</h1>
      <dl>
        <dt>Name</dt>
        <dd data-testid="account-name">{user.name}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{user.role}</dd>
      </dl>
      <h2>Change your name</h2>
      <Form resetOnSuccess={false} fields={{ intent: 'name' }} announce="Your name was saved.">
        <NameFields current={user.name} />
      </Form>
      <h2>Change your password</h2>
      {data.passwordChanged && <p role="status">Your password was changed.</p>}
      <Form fields={{ intent: 'password' }}>
        <TextField name="currentPassword" label="Current password" type="password" autoComplete="current-password" required />
        <TextField name="newPassword" label="New password" type="password" autoComplete="new-password" required minLength={8} />
        <SubmitButton>Change password</SubmitButton>
      </Form>
    </section>
  )
}

function NameFields({ current }: { current: string }) {
  const { pending, submitted, ok } = useFormResult()
  return (
    <>
      <TextField name="name" label="Name" required maxLength={fieldMaxLength(MAX_NAME)} defaultValue={current} />
      <SubmitButton>Save name</SubmitButton>
      {/* Saved in place (with JavaScript), and said by the page's live region; without it, the page comes back with the new name. */}
      {submitted && ok && !pending && <p className="form-done">Your name was saved.</p>}
    </>
  )
}
