/**
 * What in a loader's data JSON would not carry to the browser as it is, as `data.when, a Date`, or
 * undefined when all of it would. The page hydrates with the JSON copy: a Date became a string
 * there (and the page rendered otherwise than on the server), a Map or a class instance `{}`, a
 * function vanished, and a BigInt failed the request naming nothing. Top-level promises are
 * deferred parts, checked as they settle (`checkedDeferred`).
 * @example unserialisable({ when: new Date() }) // 'data.when, a Date (send date.getTime() or date.toISOString())'
 */
export function unserialisable(value: unknown, path = 'data', seen = new WeakSet<object>()): string | undefined {
  switch (typeof value) {
    case 'bigint':
      return `${path}, a BigInt (send a number, or a string)`
    case 'function':
    case 'symbol':
      return `${path}, a ${typeof value} (JSON drops it)`
    case 'number':
      return Number.isFinite(value) ? undefined : `${path}, ${value} (JSON makes it null)`
    case 'object':
      break
    default:
      return undefined
  }
  if (value === null) return undefined
  if (seen.has(value)) return `${path}, a circular reference`
  seen.add(value)
  const kind = value.constructor?.name ?? 'Object'
  if (value instanceof Date) return `${path}, a Date (send date.getTime() or date.toISOString())`
  if (value instanceof Promise) return `${path}, a promise below the top level (only a top-level promise is deferred)`
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = unserialisable(item, `${path}[${index}]`, seen)
      if (problem) return problem
    }
    return undefined
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return `${path}, a ${kind} (send a plain object or an array)`
  for (const [key, item] of Object.entries(value)) {
    const problem = unserialisable(item, `${path}.${key}`, seen)
    if (problem) return problem
  }
  return undefined
}

/**
 * The loader's data, checked (development and tests): throws naming the route and the value that
 * JSON would not carry; each top-level promise is checked when it settles.
 */
export function checkedData(route: string, data: unknown): unknown {
  const complain = (problem: string) => new Error(`The loader of ${route} returned ${problem}: the browser gets its JSON copy`)
  if (data === null || typeof data !== 'object' || Array.isArray(data) || Object.getPrototypeOf(data) !== Object.prototype) {
    const problem = unserialisable(data)
    if (problem) throw complain(problem)
    return data
  }
  const checked: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) {
    if (value instanceof Promise) {
      checked[key] = value.then((settled) => {
        const problem = unserialisable(settled, `data.${key}`)
        if (problem) throw complain(problem)
        return settled
      })
      continue
    }
    const problem = unserialisable(value, `data.${key}`)
    if (problem) throw complain(problem)
    checked[key] = value
  }
  return checked
}
