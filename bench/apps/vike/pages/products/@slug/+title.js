export default (pageContext) => pageContext.data.product.name
