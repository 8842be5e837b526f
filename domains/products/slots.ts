/**
 * The places on the products domain's pages that other domains fill (`<Slot>` from #shared/ui):
 * a domain puts a component there with a `slots/<name>.slot.tsx` file, and never imports this one.
 */
declare module '#shared/ui' {
  interface Slots {
    /** On a product's page, below its price and stock: what a shopper can do with it (add it to the cart). */
    'product-actions': { productId: number; stock: number }
  }
}

export {}
