/**
 * Whether a module's default export can be rendered as a component: a function, or what React's
 * `memo`, `forwardRef` and `lazy` return. A page or slot file exporting nothing (or data) broke
 * the page at its first request, as a 500 naming no file; the start checks it instead.
 */
export const isComponent = (value: unknown): boolean => typeof value === 'function' || (typeof value === 'object' && value !== null && '$$typeof' in value)
