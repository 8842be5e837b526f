/** A product's text limits in characters (shared/ui/text-length.ts): the schema's and the admin form's. */
export const PRODUCT_LIMITS = { name: 120, description: 5000 } as const
