import { expect, it } from 'vitest'
import { migrationSources } from './migration-sources.ts'

it('gives each migration its own file’s text: by domain folder, platform ones from shared/', () => {
  const up = async () => {}
  const files = {
    '/domains/reviews/migrations/001-create.server.ts': 'reviews',
    '/domains/gift-cards/migrations/001-create.server.ts': 'gift cards',
    '/tests/fixtures/domains/demo/migrations/001-create.server.ts': 'demo',
    '/shared/jobs/migrations/002-create-jobs.server.ts': 'jobs',
  }
  const set = migrationSources(
    {
      'platform/002-create-jobs': { up },
      'gift-cards/001-create': { up },
      'reviews/001-create': { up },
      'demo/001-create': { up },
      'cards/001-create': { up },
    },
    files,
  )
  expect(Object.fromEntries(Object.entries(set).map(([name, migration]) => [name, migration.source]))).toEqual({
    'platform/002-create-jobs': { file: 'shared/jobs/migrations/002-create-jobs.server.ts', text: 'jobs' },
    'gift-cards/001-create': { file: 'domains/gift-cards/migrations/001-create.server.ts', text: 'gift cards' },
    'reviews/001-create': { file: 'domains/reviews/migrations/001-create.server.ts', text: 'reviews' },
    'demo/001-create': { file: 'tests/fixtures/domains/demo/migrations/001-create.server.ts', text: 'demo' },
    'cards/001-create': undefined, // no file of its own (not gift-cards')
  })
  expect(Object.keys(set)).toEqual(['platform/002-create-jobs', 'gift-cards/001-create', 'reviews/001-create', 'demo/001-create', 'cards/001-create'])
})
