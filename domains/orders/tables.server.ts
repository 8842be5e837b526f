import type { Generated } from 'kysely'

export type OrderStatus = 'pending' | 'paid' | 'fulfilled' | 'cancelled'

export interface CartsTable {
  id: Generated<number>
  /** A signed-in shopper's cart… */
  user_id: number | null
  /** …or a visitor's, found by the SHA-256 of their cart cookie. */
  token_hash: string | null
  /** …or, neither, the products of a visitor's cart that did not fit into this account's cart at sign-in (migration 010). */
  set_aside_for: Generated<number | null>
  created_at: number
  updated_at: number
}

export interface CartItemsTable {
  cart_id: number
  product_id: number
  quantity: number
}

export interface OrdersTable {
  id: Generated<number>
  user_id: number
  status: OrderStatus
  total_cents: number
  currency: string
  /** The shipping address as JSON: an order keeps what it was sent to. */
  shipping: string
  payment_ref: string | null
  /** The client's Idempotency-Key: a retried request finds the order instead of making another. */
  idempotency_key: string | null
  /** With a key: the SHA-256 of the request that placed the order (`requestHash`), so the key is not reused for another. */
  request_hash: string | null
  created_at: number
  updated_at: number
}

export interface OrderLinesTable {
  order_id: number
  product_id: number
  /** Name and price as they were when ordered. */
  name: string
  quantity: number
  price_cents: number
}

export interface NotificationsTable {
  id: Generated<number>
  user_id: number
  order_id: number | null
  message: string
  read_at: number | null
  created_at: number
}

/** Orders counted per shopper (user 0: everyone), kept by triggers (migration 004). */
export interface OrderCountsTable {
  user_id: number
  orders: number
  /** Orders not cancelled, and their sum: the dashboard's figures. */
  active_orders: number
  active_cents: number
}

/** A checkout's address kept while its shopper logs in again (checkout-draft.server.ts). */
export interface CheckoutDraftsTable {
  token_hash: string
  /** Whose checkout and which cart the address was typed for (SHA-256 of the account's proof and the cart's version): given back only to them, for that cart. */
  checkout_key: string
  /** The address fields as typed, JSON. */
  shipping: string
  expires_at: number
}

declare module '#shared/db' {
  interface Database {
    carts: CartsTable
    cart_items: CartItemsTable
    orders: OrdersTable
    order_lines: OrderLinesTable
    notifications: NotificationsTable
    order_counts: OrderCountsTable
    checkout_drafts: CheckoutDraftsTable
  }
}
