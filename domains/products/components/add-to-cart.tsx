import { useState, type SubmitEvent } from 'react'
import { apiClient } from '#shared/client'
import { Link, useRouter } from '#shared/ui'
import type { CartApi, CartBadge } from '../../orders/index.ts'

/** The orders domain's header badge for the cart (its name checked against theirs by type). */
const CART_BADGE: CartBadge = 'cart'

type State = { kind: 'idle' } | { kind: 'adding' } | { kind: 'added' } | { kind: 'failed'; message: string }

/**
 * Adds a product to the cart. Without JavaScript it posts to the orders domain's /cart action
 * (by URL: no import of its code), and the header's count shows after the redirect. With
 * JavaScript it calls the cart API through the typed client and stays on the page; the header's
 * count takes the cart's new count from the answer.
 */
export function AddToCart({ productId, stock }: { productId: number; stock: number }) {
  const router = useRouter()
  const [state, setState] = useState<State>({ kind: 'idle' })
  const soldOut = stock <= 0

  async function add(event: SubmitEvent<HTMLFormElement>) {
    if (!router) return // not hydrated yet: the browser posts the form
    event.preventDefault()
    const quantity = Number(new FormData(event.currentTarget).get('quantity')) || 1
    setState({ kind: 'adding' })
    try {
      const res = await apiClient<CartApi>('cart').items.$post({ json: { productId, quantity } })
      if (res.ok) {
        router.setBadge(CART_BADGE, (await res.json()).count)
        return setState({ kind: 'added' })
      }
      const body = (await res.json()) as { error?: { message?: string } }
      setState({ kind: 'failed', message: body.error?.message ?? 'That did not work. Try again.' })
    } catch {
      setState({ kind: 'failed', message: 'The network is unavailable. Try again.' })
    }
  }

  return (
    <form method="post" action="/cart" className="add-to-cart" onSubmit={add}>
      <input type="hidden" name="intent" value="add" />
      <input type="hidden" name="productId" value={productId} />
      <label>
        Quantity <input name="quantity" type="number" min={1} max={Math.max(1, Math.min(99, stock))} defaultValue={1} disabled={soldOut} />
      </label>
      <button type="submit" disabled={soldOut || state.kind === 'adding'}>
        {soldOut ? 'Sold out' : state.kind === 'adding' ? 'Adding…' : 'Add to cart'}
      </button>
      {state.kind === 'added' && (
        <p role="status">
          Added to your cart. <Link href="/cart">View cart</Link>
        </p>
      )}
      {state.kind === 'failed' && <p role="alert">{state.message}</p>}
    </form>
  )
}
