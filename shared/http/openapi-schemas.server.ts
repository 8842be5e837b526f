import { z } from 'zod'
import { integerTextRanges } from './input-schemas.ts'

export type JsonSchema = Record<string, unknown>

/**
 * zod schemas as the OpenAPI document's JSON Schemas: a schema named with `.meta({ id })` (at the
 * top or nested) becomes a component, `components.schemas.<id>`, and is referenced, not repeated.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {}

  /** `io: 'input'` for what a client sends, `'output'` for what it receives. */
  toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any', override: io === 'output' ? openToNewFields : asClientsWriteIt }) as JsonSchema
    const text = JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/')
    const { $schema: _, $defs, id, ...rest } = JSON.parse(text) as JsonSchema & { $defs?: Record<string, JsonSchema>; id?: string }
    for (const [name, definition] of Object.entries($defs ?? {})) this.schemas[name] ??= definition
    const name = z.globalRegistry.get(schema)?.id
    if (!name) return rest
    this.schemas[name] ??= rest
    return { $ref: `#/components/schemas/${name}` }
  }
}

/**
 * A response may gain fields without a new version (docs/api.md), so its objects do not say
 * `additionalProperties: false`; and JavaScript's safe-integer bounds on every integer are noise.
 */
function openToNewFields({ jsonSchema }: { jsonSchema: JsonSchema }): void {
  if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum
}

/**
 * What a client sends: a whole number in a URL is text to the server (digits only), but to a
 * client it is an integer (`?limit=10`, `?page=` from a listing's `links`); a field's default is
 * said, as the server applies it when the field is absent.
 */
function asClientsWriteIt({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodTypes; jsonSchema: JsonSchema }): void {
  const range = integerTextRanges.get(zodSchema)
  if (range) {
    for (const key of ['type', 'pattern']) delete jsonSchema[key]
    Object.assign(jsonSchema, { type: 'integer', minimum: range.min, maximum: range.max })
  }
  if (zodSchema._zod.def.type === 'default' && !('default' in jsonSchema)) jsonSchema.default = zodSchema._zod.def.defaultValue
  // A default the schema leaves to its reader (a listing's `page`: absent and 1 are told apart), said in its meta.
  const documented = z.globalRegistry.get(zodSchema)?.default
  if (documented !== undefined && !('default' in jsonSchema)) jsonSchema.default = documented
}
