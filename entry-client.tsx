/** The browser's door: hydrates the server-rendered page, loading only that page's chunk. */
import { hydratePage } from '#shared/client'
import './shared/ui/styles.css'

const pages = {
  ...import.meta.glob('/domains/*/pages/*.page.tsx'),
  ...(__TESSERA_FIXTURES__ ? import.meta.glob('/tests/fixtures/domains/*/pages/*.page.tsx') : {}),
}

void hydratePage(pages)
