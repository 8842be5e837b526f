import { HttpError } from '#shared/http'

/**
 * A search stopped at its bound (ProductSearch.bounded): 422, as the same words would be again; a
 * 503 would invite a retry that costs as much. docs/decisions/014.
 */
export const searchTooBroad = () => new HttpError(422, 'search_too_broad', 'This search is too broad to answer quickly. Try fewer words, or rarer ones.')
