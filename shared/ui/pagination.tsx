import { Link } from './link.tsx'

/*
 * A listing's pages as links: plain <a> elements (they work without JavaScript and can be shared),
 * each the few query parameters that change. Keyset listings link by position (`?after=`,
 * `?before=`, `?page=last`: docs/pages.md, "Pagination"); bounded ones (a search) by number.
 */

/** A link to another page of the same listing: the query parameters it sets (the others stay). */
export type PageLink = { after: string } | { before: string } | { page: number | 'last' }
/** The links of a page (null: no such page from here); `pageLinksSchema` in #shared/http checks them. */
export interface PageLinks {
  first: PageLink | null
  previous: PageLink | null
  next: PageLink | null
  last: PageLink | null
}

/**
 * Page numbers a keyset listing still takes (`?page=`, as before it had positions): up to here
 * OFFSET stays cheap (at most 1,900 rows skipped at 100 a page); beyond, its links (`after`,
 * `before`, `page=last`) go anywhere at the cost of the first page. docs/decisions/014.
 */
export const MAX_NUMBERED_PAGE = 20

/** A link's query parameters, to merge into the listing's own (page 1 is no parameter at all). */
export function pageLinkParams(link: PageLink | undefined): Partial<Record<'after' | 'before' | 'page', string>> {
  if (!link) return {}
  if ('page' in link) return link.page === 1 ? {} : { page: String(link.page) }
  return 'after' in link ? { after: link.after } : { before: link.before }
}

/** The links around a keyset page, from the cursors before and after it. */
export function linksAround({ before, after, atFirst }: { before: string | null; after: string | null; atFirst: boolean }): PageLinks {
  return {
    first: atFirst ? null : { page: 1 },
    previous: before === null ? null : { before },
    next: after === null ? null : { after },
    last: after === null ? null : { page: 'last' },
  }
}

/** The links around page `page` of `pageCount` numbered pages. */
export function numberedLinks(page: number, pageCount: number): PageLinks {
  const back = page > 1 ? { page: Math.min(page - 1, Math.max(pageCount, 1)) } : null // from beyond the end: the last page
  return {
    first: page > 1 ? { page: 1 } : null,
    previous: back,
    next: page < pageCount ? { page: page + 1 } : null,
    last: page < pageCount ? { page: 'last' } : null,
  }
}

/**
 * First, previous, next and last (and, for numbered pages, a window of numbers); each a real link.
 * @example <Pagination links={data.links} hrefFor={(link) => productsUrl(query, link)} />
 */
export function Pagination({
  links,
  hrefFor,
  numbers,
}: {
  links: PageLinks
  hrefFor: (link: PageLink) => string
  numbers?: { page: number; pageCount: number }
}) {
  if (!links.first && !links.previous && !links.next && !links.last) return null
  const window = numbers && pageWindow(numbers.page, numbers.pageCount)
  return (
    <nav className="pagination" aria-label="Pages">
      {links.first && <Link href={hrefFor(links.first)}>First</Link>}
      {links.previous && (
        <Link href={hrefFor(links.previous)} rel="prev">
          ← Previous
        </Link>
      )}
      {window?.map((n) =>
        n === numbers!.page ? (
          <span key={n} aria-current="page">
            {n}
          </span>
        ) : (
          <Link key={n} href={hrefFor({ page: n })}>
            {n}
          </Link>
        ),
      )}
      {links.next && (
        <Link href={hrefFor(links.next)} rel="next">
          Next →
        </Link>
      )}
      {links.last && <Link href={hrefFor(links.last)}>Last</Link>}
    </nav>
  )
}

/** Up to five page numbers around the current one. */
function pageWindow(page: number, pageCount: number): number[] {
  const first = Math.max(1, Math.min(page - 2, pageCount - 4))
  return Array.from({ length: Math.min(5, pageCount) }, (_, i) => first + i)
}
