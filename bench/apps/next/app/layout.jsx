// Tessera's stylesheet, as Next.js takes global CSS: imported by the root layout. Next bundles it
// and links it from every page's head (`<link rel="stylesheet" href="/_next/static/…css">`).
import '../../../../shared/ui/styles.css'

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
