export default 'All products'
