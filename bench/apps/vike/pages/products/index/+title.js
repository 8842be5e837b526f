export default (pageContext) => pageContext.data.head.title
