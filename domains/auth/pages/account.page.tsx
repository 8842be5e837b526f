import type { PageProps } from '#shared/domain'
import { FieldError, Form, FormError, useFormResult } from '#shared/ui'
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
      <Form resetOnSuccess={false}>
        <NameFields current={user.name} />
      </Form>
      <h2>Change your password</h2>
      {data.passwordChanged && <p role="status">Your password was changed.</p>}
      <Form>
        <PasswordFields />
      </Form>
    </section>
  )
}

function NameFields({ current }: { current: string }) {
  const { pending, values } = useFormResult()
  return (
    <>
      <input type="hidden" name="intent" value="name" />
      <label>
        Name <input name="name" required defaultValue={values?.name ?? current} />
      </label>
      <FieldError name="name" />
      <button type="submit" disabled={pending}>
        Save name
      </button>
    </>
  )
}

function PasswordFields() {
  const { pending } = useFormResult()
  return (
    <>
      <input type="hidden" name="intent" value="password" />
      <FormError />
      <label>
        Current password <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <FieldError name="currentPassword" />
      <label>
        New password <input name="newPassword" type="password" autoComplete="new-password" required minLength={8} />
      </label>
      <FieldError name="newPassword" />
      <button type="submit" disabled={pending}>
        Change password
      </button>
    </>
  )
}
