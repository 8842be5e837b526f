/**
 * A type test, checked by `npm run typecheck` (part of `npm test`): each `@ts-expect-error` must
 * stay an error. If definePage stopped checking loaders against pages, tsc would fail here.
 */
import { z } from 'zod'
import { definePage, type PageProps } from '#shared/domain'

const Page = (_: PageProps<{ name: string }>) => null

// A loader whose data fits the page's props.
definePage({ path: '/ok', page: async () => ({ default: Page }), load: () => ({ name: 'Ada' }) })

// A loader whose data does not fit.
definePage({
  path: '/wrong',
  page: async () => ({ default: Page }),
  // @ts-expect-error: `name` must be a string
  load: () => ({ name: 42 }),
})

// head() receives the loader's data type.
definePage({
  path: '/head',
  page: async () => ({ default: Page }),
  load: () => ({ name: 'Ada' }),
  // @ts-expect-error: there is no `title` in the data
  head: (data) => ({ title: data.title }),
})

// An action's input is typed by its schema, its params by the page's path.
definePage({
  path: '/orders/:id',
  page: async () => ({ default: Page }),
  load: ({ params }) => ({ name: params.id }),
  action: {
    input: z.object({ quantity: z.coerce.number() }),
    run: ({ params }, input) => {
      const quantity: number = input.quantity
      const id: string = params.id
      // @ts-expect-error: the input has no `other` field
      void input.other
      // @ts-expect-error: a misspelt param does not compile
      void params.idd
      void quantity
      void id
    },
  },
})

// An action's run() takes what its schema gives, not more.
definePage({
  path: '/notes',
  page: async () => ({ default: Page }),
  load: () => ({ name: 'Ada' }),
  action: {
    input: z.object({ body: z.string() }),
    // @ts-expect-error: the schema gives a string, not a number
    run: (_, input: { body: number }) => void input,
  },
})

// A cached page's loader reads only the query parameters its cache rule declares.
definePage({
  path: '/cached',
  page: async () => ({ default: Page }),
  // @ts-expect-error: `other` is not in `cache.query`
  load: ({ query }) => ({ name: query.get('q') ?? query.get('other') ?? '' }),
  cache: { maxAge: 60, query: ['q'] },
})

// A cached page declares them, `[]` for none.
definePage({
  path: '/undeclared',
  page: async () => ({ default: Page }),
  load: () => ({ name: 'Ada' }),
  // @ts-expect-error: `query` is missing
  cache: { maxAge: 60 },
})

// A loader's params are typed from the path, as Hono reads it.
definePage({
  path: '/products/:slug/reviews/:page{[0-9]+}',
  page: async () => ({ default: Page }),
  load: ({ params }) => {
    const slug: string = params.slug
    const page: string = params.page
    // @ts-expect-error: a misspelt param does not compile
    void params.slgu
    return { name: `${slug} ${page}` }
  },
  cache: { maxAge: 60, query: [], tags: (_, params) => [`product:${params.slug}`] },
})

// An optional param may be missing; a path without params has none.
definePage({
  path: '/posts/:id?',
  page: async () => ({ default: Page }),
  // @ts-expect-error: `id` may be undefined
  load: ({ params }) => ({ name: params.id.toUpperCase() }),
})
definePage({
  path: '/cart',
  page: async () => ({ default: Page }),
  // @ts-expect-error: /cart has no params
  load: ({ params }) => ({ name: params.slug }),
})
