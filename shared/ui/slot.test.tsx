import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it } from 'vitest'
import { registerSlots, Slot, type SlotProps } from './slot.tsx'

const Add = ({ productId, stock }: SlotProps<'product-actions'>) => (
  <button type="button">
    add {productId} ({stock})
  </button>
)
const Wish = ({ productId }: SlotProps<'product-actions'>) => <button type="button">wish {productId}</button>

afterEach(() => registerSlots({}))

describe('Slot', () => {
  it("renders every domain's component for the slot, in the order of their domains, with the page's props", () => {
    registerSlots({
      '/domains/wishlist/slots/product-actions.slot.tsx': { default: Wish },
      '/domains/orders/slots/product-actions.slot.tsx': { default: Add },
      '/domains/orders/slots/elsewhere.slot.tsx': { default: () => <p>not here</p> },
    })
    expect(renderToString(<Slot name="product-actions" productId={7} stock={3} />)).toBe(
      '<button type="button">add <!-- -->7<!-- --> (<!-- -->3<!-- -->)</button><button type="button">wish <!-- -->7</button>',
    )
  })

  it('renders nothing when no domain fills it', () => {
    registerSlots({ '/domains/orders/slots/elsewhere.slot.tsx': { default: () => <p>not here</p> } })
    expect(renderToString(<Slot name="product-actions" productId={7} stock={3} />)).toBe('')
  })
})
