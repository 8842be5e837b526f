/**
 * The page-cache tags of the catalogue. The products domain owns their names: other domains never
 * spell them, they change stock through `reserveStock`/`releaseStock`, which drop the right ones.
 */

/** Every catalogue page: dropped by an admin's change (a new, renamed or deleted product). */
export const CATALOGUE_TAG = 'products'

/** Pages that list only products in stock (the home page): dropped when one sells out or is back. */
export const AVAILABILITY_TAG = 'products:availability'

/** Every page that shows this product, its stock included: its own page and the listings it is on. */
export const productTag = (id: number) => `product:${id}`
