/**
 * A domain's files contradict the platform's rules (a slot no domain offers, a page path another
 * domain has, a misnamed migration…): the message names the file and what to change, so the
 * process prints it as is, without a stack (server.ts, the dev server's page). Read by its
 * `name`, not `instanceof`: in dev the domains' module graph is Vite's, not the process's.
 * @example throw new DomainMistake('domains/orders/slots/product-action.slot.tsx fills the slot "product-action", which no domain offers')
 */
export class DomainMistake extends Error {
  override readonly name = 'DomainMistake'
}

export const isDomainMistake = (err: unknown): err is Error => err instanceof Error && err.name === 'DomainMistake'
