/**
 * What every server must render as Tessera does, each inside its own document (a framework's
 * head and scripts may differ): /products' body as the visitor sees it (Tessera's layout and
 * page), and a product page's article (add-to-cart form included).
 */
const parts = {
  '/products': /<div class="app">[\s\S]*<\/footer><\/div>/,
  'product page': /<article class="product-detail">[\s\S]*?<\/article>/,
}

/** React's useId values (`_R_…_`) depend on where the page sits in each framework's tree. */
const withoutUseIds = (html: string) => html.replaceAll(/_R_[0-9a-zA-Z]+_/g, '_R_id_')

export async function requireSameMarkup(server: string, url: string, reference: string, part: keyof typeof parts = '/products') {
  const cut = (html: string) => withoutUseIds(parts[part].exec(html)?.[0] ?? '') || undefined
  const expected = cut(reference)
  if (!expected || cut(await (await fetch(url)).text()) !== expected)
    throw new Error(`${server}: ${url} does not render Tessera's ${part} markup; the comparison would not be like for like.`)
}
