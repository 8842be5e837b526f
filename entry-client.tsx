/** The browser's door: hydrates the server-rendered page, loading only that page's chunk. */
import { hydratePage } from '#shared/client'
import { registerSlots } from '#shared/ui'
import './shared/ui/styles.css'

const pages = {
  ...import.meta.glob('/domains/*/pages/*.page.tsx'),
  ...(__TESSERA_FIXTURES__ ? import.meta.glob('/tests/fixtures/domains/*/pages/*.page.tsx') : {}),
}

// In the main chunk: a page that has a slot renders its components as it hydrates.
registerSlots({
  ...import.meta.glob('/domains/*/slots/*.slot.tsx', { eager: true }),
  ...(__TESSERA_FIXTURES__ ? import.meta.glob('/tests/fixtures/domains/*/slots/*.slot.tsx', { eager: true }) : {}),
})

void hydratePage(pages)
