/** The shipping address's limits in characters (shared/ui/text-length.ts): the schema's and the checkout form's. */
export const SHIPPING_LIMITS = { name: 100, line1: 200, line2: 200, city: 100, postalCode: 20 } as const
