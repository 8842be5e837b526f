import type { ComponentType } from 'react'

/**
 * Named places on one domain's pages that other domains fill, each with the props the page passes.
 * The domain that owns the page declares them, by augmentation (no domain imports another):
 * @example
 * declare module '#shared/ui' { interface Slots { 'product-actions': { productId: number; stock: number } } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so that domains can add to it (declaration merging)
export interface Slots {}

/** The props a slot's page passes: what a component filling it receives. */
export type SlotProps<Name extends keyof Slots> = Slots[Name]

type SlotModule = { default: ComponentType<never> }

/** Every slot's components, in the order of their domains' names. */
let filled: Record<string, ComponentType<object>[]> = {}

/**
 * Fills the slots from the domains' `slots/<slot name>.slot.tsx` files (their default exports).
 * Both entries call it with the same files, so the server renders and the browser hydrates the
 * same components (entry-server.tsx and entry-client.tsx, by an eager glob of those files).
 */
export function registerSlots(modules: Record<string, SlotModule>): void {
  const next: Record<string, ComponentType<object>[]> = {}
  for (const path of Object.keys(modules).sort()) {
    const name = /([^/]+)\.slot\.tsx$/.exec(path)?.[1]
    if (name) (next[name] ??= []).push(modules[path]!.default as ComponentType<object>)
  }
  filled = next
}

/**
 * Renders what other domains put in this slot of the page, or nothing.
 * @example <Slot name="product-actions" productId={product.id} stock={product.stock} />
 */
export function Slot<Name extends keyof Slots>(props: { name: Name } & Slots[Name]) {
  const { name, ...passed } = props as { name: string } & Record<string, unknown>
  const components = filled[name] ?? []
  return (
    <>
      {components.map((Component, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the fillers are fixed at build time, never reordered
        <Component key={index} {...passed} />
      ))}
    </>
  )
}
