/** A shopper's name, at most this many characters (shared/ui/text-length.ts): the schema's and the forms'. */
export const MAX_NAME = 100
/** A password, at most this many characters (and at least 8). */
export const MAX_PASSWORD = 256
