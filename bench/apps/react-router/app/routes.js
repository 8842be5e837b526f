import { route } from '@react-router/dev/routes'

export default [
  route('products', 'routes/products.jsx'),
  route('products/:slug', 'routes/product.jsx'),
  route('api/products/:id', 'routes/api-product.js'),
]
