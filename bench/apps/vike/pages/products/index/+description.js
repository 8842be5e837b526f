export default (pageContext) => pageContext.data.head.description
