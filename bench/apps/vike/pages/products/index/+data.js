import { anonymousNav, productsHead, productsPageData } from '../../../../catalogue.js'

// Server-only (+data): the page, its header's links and its head. The page, title and
// description files run in the browser too, so they read these here rather than import
// catalogue.js (better-sqlite3).
export function data() {
  const page = productsPageData()
  return { page, nav: anonymousNav, head: productsHead(page) }
}
