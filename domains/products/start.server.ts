import type { DomainCommand, DomainContext } from '#shared/domain'
import { seedCatalogue } from './seed.server.ts'

/** `npm start` on an empty database fills the catalogue, so the store is never blank. */
export async function startProducts({ db, log }: DomainContext): Promise<void> {
  const added = await seedCatalogue(db)
  if (added) log.info('catalogue seeded', { products: added })
}

/** `npm run seed`: the same 1,000 products every time, into an empty catalogue. */
export const seedCommand: DomainCommand = {
  usage: '          fill an empty catalogue with 1,000 deterministic products',
  async run(_args, { db }) {
    const added = await seedCatalogue(db)
    console.log(added ? `Seeded ${added} products.` : 'The catalogue already has products: nothing to do.')
  },
}
