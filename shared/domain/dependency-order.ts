import type { Domain } from './define-domain.ts'
import { DomainMistake } from './domain-mistake.ts'

/**
 * The domains with each after the ones it depends on (`dependsOn`), otherwise in the order
 * given: the order their migrations run in. Throws, naming them, on an unknown domain or a cycle.
 * @example inDependencyOrder([orders, products, auth]) // products, auth, orders (orders depends on both)
 */
export function inDependencyOrder(domains: readonly Domain[]): Domain[] {
  const byName = new Map(domains.map((domain) => [domain.name, domain]))
  const ordered: Domain[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (domain: Domain, path: string[]) => {
    if (state.get(domain.name) === 'done') return
    if (state.get(domain.name) === 'visiting') throw new DomainMistake(`Domains depend on each other in a cycle: ${[...path, domain.name].join(' → ')}`)
    state.set(domain.name, 'visiting')
    for (const name of domain.dependsOn) {
      const dependency = byName.get(name)
      if (!dependency) throw new DomainMistake(`Domain "${domain.name}" depends on "${name}", which is not a domain here.`)
      visit(dependency, [...path, domain.name])
    }
    state.set(domain.name, 'done')
    ordered.push(domain)
  }
  for (const domain of domains) visit(domain, [])
  return ordered
}
