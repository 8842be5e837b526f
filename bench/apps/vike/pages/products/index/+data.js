import { productCards } from '../../../../catalogue.js'

export const data = () => ({ products: productCards() })
