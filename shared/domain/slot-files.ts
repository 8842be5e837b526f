import { closestName } from './closest-name.ts'
import type { Domain } from './define-domain.ts'
import { isComponent } from './is-component.ts'
import { oneOwnerPerName } from './one-owner-per-name.ts'
import { DomainMistake } from './domain-mistake.ts'

/**
 * Checks the domains' slot files (`slots/<slot>.slot.tsx`, by file) against the slots their pages
 * offer (`defineDomain({ slots })`), naming each file that would fill nothing: one whose name no
 * domain offers (a misspelt `product-action.slot.tsx` was never rendered, without a word), or
 * whose default export is no component (it broke the page it filled). Two domains offering one
 * slot name stop the start too.
 * @example refuseUnfilledSlots({ '/domains/orders/slots/product-actions.slot.tsx': module }, domains)
 */
export function refuseUnfilledSlots(modules: Record<string, { default?: unknown }>, domains: Domain[]): void {
  const offered = Object.keys(
    oneOwnerPerName(
      'slot',
      domains.map((domain) => ({ owner: domain.name, parts: Object.fromEntries(domain.slots.map((slot) => [slot, true])) })),
    ),
  )
  const problems = Object.entries(modules).flatMap(([file, module]) => {
    const where = file.replace(/^\//, '')
    const name = /([^/]+)\.slot\.tsx$/.exec(file)?.[1] ?? ''
    if (!offered.includes(name)) {
      const meant = closestName(name, offered)
      const hint = meant ? ` (did you mean "${meant}"? rename the file ${meant}.slot.tsx)` : ''
      const list = offered.length > 0 ? offered.map((slot) => `"${slot}"`).join(', ') : 'none'
      return [
        `${where} fills the slot "${name}", which no domain offers${hint}. Slots offered (defineDomain's \`slots\`): ${list}; a domain offering a new one lists it there and declares its props in Slots (#shared/ui).`,
      ]
    }
    if (!isComponent(module.default)) return [`${where} must \`export default\` a component taking SlotProps<'${name}'>`]
    return []
  })
  if (problems.length > 0) throw new DomainMistake(problems.join('\n'))
}
