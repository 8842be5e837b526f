import type { DomainContext } from '#shared/domain'
import { seedCatalogue } from './seed.server.ts'

/** `npm start` on an empty database fills the catalogue, so the store is never blank. */
export async function startProducts({ db, log }: DomainContext): Promise<void> {
  const added = await seedCatalogue(db)
  if (added) log.info('catalogue seeded', { products: added })
}
