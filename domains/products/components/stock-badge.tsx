/** "Sold out", "Only 3 left" or "In stock": what a shopper needs to know about stock. */
export function StockBadge({ stock }: { stock: number }) {
  if (stock <= 0) return <span className="stock stock-out">Sold out</span>
  if (stock <= 5) return <span className="stock stock-low">Only {stock} left</span>
  return <span className="stock stock-in">In stock</span>
}
