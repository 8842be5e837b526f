/** The home page. The products domain will bring featured products and categories here. */
export default function HomePage() {
  return (
    <section className="home">
      <h1>Welcome to Tessera</h1>
      <p>Every page here is rendered on the server, streamed to you, and then comes alive in your browser.</p>
    </section>
  )
}
