// Tessera's stylesheet, as Vike's docs load global CSS: imported by the Layout every page shares.
// Vite bundles it and Vike links it from the page's head; the Layout adds no markup of its own.
import '../../../../shared/ui/styles.css'

export default function Layout({ children }) {
  return children
}
