/**
 * How many matches a search ranks at most (its window), the newest: 21 pages of the catalogue's
 * 48. "ha" matches 128,000 of a million products; ranking them all took 0.27 s a request, the
 * window costs the same at any size (docs/decisions/014).
 */
export const SEARCH_WINDOW = 1000
