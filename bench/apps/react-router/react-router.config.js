// Server rendering on every request (the default), as Tessera's /products with its page cache off.
export default { ssr: true }
