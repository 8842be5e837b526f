import { z } from 'zod'
import { characters } from '#shared/ui'
import { SHIPPING_LIMITS } from './shipping-limits.ts'
import { cursorText, idJson, integerJson, integerText, pageLinksSchema, pageOrLast, plainText, type IntegerRange } from '#shared/http'

const QUANTITY: IntegerRange = { min: 1, max: 99 }
const QUANTITY_MESSAGE = 'Enter a quantity from 1 to 99'
/** A quantity typed into a form (decimal digits); `quantityJson` is the same in a JSON body. */
export const quantityText = integerText(QUANTITY, QUANTITY_MESSAGE)
export const quantityJson = integerJson(QUANTITY, QUANTITY_MESSAGE)

export const addItemInput = z.object({ productId: idJson, quantity: quantityJson.default(1) })
export const setQuantityInput = z.object({ quantity: quantityJson })

/** The Luhn checksum every real card number passes: a typo is caught before any payment. */
export function passesLuhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2
    sum += digit
  }
  return sum % 10 === 0
}

const cardNumber = z
  .string()
  .transform((value) => value.replace(/[\s-]/g, ''))
  .pipe(
    z
      .string()
      .regex(/^\d{12,19}$/, 'Enter the card number')
      .refine(passesLuhn, 'That card number is not valid'),
  )
  // What a client reads in the API document (a pipe's rules are not in it otherwise).
  .meta({ pattern: '^[0-9 -]+$', description: '12 to 19 digits, spaces and dashes ignored, passing the Luhn check.' })

/**
 * ISO 3166-1's 249 officially assigned two-letter codes, and XK (Kosovo, user-assigned, which
 * carriers use): written out, so checkout takes the same codes whatever the runtime's Unicode data
 * (ICU also names withdrawn ones, SU, YU, reserved ones, AC, UK, and groups, EU, UN).
 */
const COUNTRY_CODES = new Set(
  [
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ',
    'BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR',
    'CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR',
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU',
    'ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ',
    'LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ',
    'MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF',
    'PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI',
    'SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR',
    'TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW',
  ]
    .join(' ')
    .split(' '),
)

export const shippingSchema = z.object({
  name: characters(plainText().min(1, 'Enter a name'), { max: SHIPPING_LIMITS.name }),
  line1: characters(plainText().min(1, 'Enter an address'), { max: SHIPPING_LIMITS.line1 }),
  line2: characters(plainText(), { max: SHIPPING_LIMITS.line2 }).optional(),
  city: characters(plainText().min(1, 'Enter a city'), { max: SHIPPING_LIMITS.city }),
  postalCode: characters(plainText(), { min: 2, max: SHIPPING_LIMITS.postalCode, tooShort: 'Enter a postal code' }),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, { message: 'Use a two-letter country code, e.g. US', abort: true }) // one message, not the next check's too
    .refine((code) => COUNTRY_CODES.has(code), 'That is no country’s code (ISO 3166-1, e.g. US, GB, DE)')
    .meta({ description: 'ISO 3166-1 alpha-2 (or XK, Kosovo), e.g. `US`, `GB`, `DE`.' }),
})
export type Shipping = z.infer<typeof shippingSchema>
/** The address fields as typed into a checkout, kept while its shopper logged in again (checkout-draft.server.ts). */
export type AddressDraft = Partial<Record<'name' | 'line1' | 'line2' | 'city' | 'postalCode' | 'country', string>>

/** A card, its month and year read by `integer`: JSON numbers from the API, digits from the form. */
const cardWith = (integer: typeof integerJson | typeof integerText) =>
  z
    .object({
      number: cardNumber,
      expMonth: integer({ min: 1, max: 12 }, 'Month 1 to 12'),
      expYear: integer({ min: 2000, max: 2100 }, 'A year from 2000 to 2100'),
      cvc: z
        .string()
        .trim()
        .regex(/^\d{3,4}$/, 'Enter the 3 or 4 digits'),
    })
    .refine((card) => new Date(Date.UTC(card.expYear, card.expMonth)) > new Date(), { message: 'This card has expired', path: ['expYear'] })
/** A card in a JSON body (`POST /api/orders`). */
export const cardSchema = cardWith(integerJson)
/** The same card as the checkout form sends it (every field a string). */
export const cardFormSchema = cardWith(integerText)

/** A cart's `version` as the shopper saw it: an order of a cart changed since (another tab, a new price) is refused. */
export const cartVersion = z.string().regex(/^[\w-]{1,64}$/, 'Not a cart version')

export const checkoutInput = z.object({
  shipping: shippingSchema,
  card: cardSchema,
  cartVersion: cartVersion.optional().meta({
    description: 'The `version` of the cart you showed: if the cart has changed since, nothing is ordered (409 `cart_changed`).',
  }),
})
export type CheckoutInput = z.infer<typeof checkoutInput>

/** An order as the API shows it. */
export const orderSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['pending', 'paid', 'fulfilled', 'cancelled']),
    items: z.array(z.object({ productId: z.number().int(), name: z.string(), quantity: z.number().int(), priceCents: z.number().int() })),
    totalCents: z.number().int(),
    total: z.string(),
    createdAt: z.string(),
  })
  .meta({
    id: 'Order',
    examples: [
      {
        id: 1031,
        status: 'paid',
        items: [{ productId: 42, name: 'Stoneware mug', quantity: 2, priceCents: 1450 }],
        totalCents: 2900,
        total: '$29.00',
        createdAt: '2026-11-28T14:12:00.000Z',
      },
    ],
  })
export type Order = z.infer<typeof orderSchema>

/** `?page=` (a number, or `last`), `?after=`, `?before=` of an orders listing (/orders, /admin/orders, `GET /api/orders`). */
export const orderListQuery = z.object({ page: pageOrLast, after: cursorText, before: cursorText })

/** A page of orders, newest first, as `GET /api/orders` answers it: `page` is null on a page found by position; `links` as the catalogue's. */
export const orderPageSchema = z
  .object({ items: z.array(orderSchema), total: z.number().int(), page: z.number().int().nullable(), pageCount: z.number().int(), links: pageLinksSchema })
  .meta({ id: 'OrderPage' })
export type OrderPage = z.infer<typeof orderPageSchema>

export interface CartLine {
  productId: number
  slug: string
  name: string
  quantity: number
  priceCents: number
  price: string
  stock: number
  lineTotal: string
}

export interface Cart {
  items: CartLine[]
  count: number
  totalCents: number
  total: string
  /** Changes whenever a line, a quantity or a price does: what a checkout confirms it is paying for. */
  version: string
  /** Products waiting outside the cart: merged carts that did not all fit (shopper-cart.server.ts). */
  setAside?: number
}

/** The shopper's dashboard: what each panel shows, ready for the UI. */
export interface OrderStats {
  /** Orders not cancelled. */
  count: number
  cancelled: number
  totalSpent: string
  recent: { id: number; status: string; total: string; itemCount: number; createdAt: string }[]
}

export interface Notification {
  id: number
  message: string
  createdAt: string
}
