import { z } from 'zod'

export type JsonSchema = Record<string, unknown>

/**
 * zod schemas as the OpenAPI document's JSON Schemas: a schema named with `.meta({ id })` (at the
 * top or nested) becomes a component, `components.schemas.<id>`, and is referenced, not repeated.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {}

  /** `io: 'input'` for what a client sends, `'output'` for what it receives. */
  toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any', override: io === 'output' ? openToNewFields : undefined }) as JsonSchema
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
