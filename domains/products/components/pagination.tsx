import { Link } from '#shared/ui'

/** Previous / next and a window of page numbers; each a real link (works without JavaScript). */
export function Pagination({ page, pageCount, hrefFor }: { page: number; pageCount: number; hrefFor: (page: number) => string }) {
  if (pageCount <= 1) return null
  const first = Math.max(1, Math.min(page - 2, pageCount - 4))
  const pages = Array.from({ length: Math.min(5, pageCount) }, (_, i) => first + i)
  return (
    <nav className="pagination" aria-label="Pages">
      {page > 1 && <Link href={hrefFor(page - 1)}>← Previous</Link>}
      {pages.map((n) =>
        n === page ? (
          <span key={n} aria-current="page">
            {n}
          </span>
        ) : (
          <Link key={n} href={hrefFor(n)}>
            {n}
          </Link>
        ),
      )}
      {page < pageCount && <Link href={hrefFor(page + 1)}>Next →</Link>}
    </nav>
  )
}
