/** For the cart tests: a browser's cookie jar. A cookie replaces the one of its name; max-age=0 removes it. */
export class CookieJar {
  readonly cookies = new Map<string, string>()

  /** Keeps what an answer's Set-Cookie lines say. */
  take(res: Response): this {
    for (const line of res.headers.getSetCookie()) {
      const [name, value] = line.split(';')[0]!.split('=') as [string, string]
      if (value && !/max-age=0/i.test(line)) this.cookies.set(name, value)
      else this.cookies.delete(name)
    }
    return this
  }

  /** The Cookie header the browser would send. */
  get header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  get cartCookies(): string[] {
    return [...this.cookies.keys()].filter((name) => name.startsWith('tessera_cart'))
  }
}
