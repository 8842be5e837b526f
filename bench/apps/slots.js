/**
 * Tessera's entries fill its pages' slots from domains/<name>/slots/ (entry-server.tsx and
 * entry-client.tsx, by a glob); the comparison apps render the same pages, so they fill them the
 * same way, on the server and in the browser: the product page's add-to-cart form comes from the
 * orders domain. Imported for its effect by each app's product page.
 */
import { registerSlots } from '../../shared/ui/index.ts'
import * as productActions from '../../domains/orders/slots/product-actions.slot.tsx'

registerSlots({ '/domains/orders/slots/product-actions.slot.tsx': productActions })
