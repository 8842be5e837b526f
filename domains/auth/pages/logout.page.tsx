import { Form } from '#shared/ui'

/** Reached without JavaScript from a bookmark or a typed URL: logging out is always a POST. */
export default function LogoutPage() {
  return (
    <section>
      <h1>Log out</h1>
      <Form>
        <button type="submit">Log out</button>
      </Form>
    </section>
  )
}
