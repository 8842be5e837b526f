import type { JSONSchema7 } from 'json-schema'
import { sample } from 'openapi-sampler'

/** A readable reference of the OpenAPI document: each operation, its input, and what it answers per status, with examples. */
type Json = { 'application/json': { schema: unknown } }
type Operation = {
  operationId: string
  summary: string
  description?: string
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: unknown }[]
  requestBody?: { content: Json }
  responses: Record<string, { description: string; content?: Json }>
}
type Doc = { info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } }

const shape = (schema: unknown) => JSON.stringify(schema, null, 2)

/** A body that fits the schema, made up from it (Redocly's openapi-sampler: formats, enums, minimums, $refs). */
const exampleOf = (schema: unknown, doc: Doc, direction: 'request' | 'response') =>
  JSON.stringify(
    sample(schema as JSONSchema7, { quiet: true, skipReadOnly: direction === 'request', skipWriteOnly: direction === 'response', enablePatterns: true }, doc),
    null,
    2,
  )

/** The schema and, beside it, an example of it. */
function Body({ schema, doc, direction }: { schema: unknown; doc: Doc; direction: 'request' | 'response' }) {
  return (
    <div className="api-body">
      <pre>{shape(schema)}</pre>
      <p>Example:</p>
      <pre className="api-example">{exampleOf(schema, doc, direction)}</pre>
    </div>
  )
}

export function ApiReference({ doc }: { doc: Doc }) {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, ...operation })),
  )
  return (
    <section className="api-reference">
      <h1>{doc.info.title}</h1>
      <p>
        Version {doc.info.version}. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1), to generate a client from. Errors answer{' '}
        <code>{'{ "error": { "code", "message", "issues"? } }'}</code> (<a href="#schema-ApiError">ApiError</a>). Shapes named like{' '}
        <code>#/components/schemas/Product</code> are under <a href="#schemas">Schemas</a>.
      </p>
      {operations.map((operation) => (
        <article key={operation.operationId} id={operation.operationId} className="api-operation">
          <h2>
            <code>{`${operation.method.toUpperCase()} ${operation.path}`}</code> {operation.summary}
          </h2>
          <p>
            <code>{operation.operationId}</code>
            {operation.description ? ` · ${operation.description}` : ''}
          </p>
          {operation.parameters && (
            <ul>
              {operation.parameters.map((parameter) => (
                <li key={`${parameter.in}:${parameter.name}`}>
                  <code>{parameter.name}</code> ({parameter.in}
                  {parameter.required ? ', required' : ''}){parameter.description ? ` ${parameter.description}` : ''}:{' '}
                  <code>{JSON.stringify(parameter.schema)}</code>
                </li>
              ))}
            </ul>
          )}
          {operation.requestBody && (
            <>
              <h3>Request body</h3>
              <Body schema={operation.requestBody.content['application/json'].schema} doc={doc} direction="request" />
            </>
          )}
          <h3>Responses</h3>
          <dl>
            {Object.entries(operation.responses).map(([status, response]) => (
              <div key={status}>
                <dt>
                  <code>{status}</code> {response.description}
                </dt>
                {response.content && (
                  <dd>
                    <Body schema={response.content['application/json'].schema} doc={doc} direction="response" />
                  </dd>
                )}
              </div>
            ))}
          </dl>
        </article>
      ))}
      <h2 id="schemas">Schemas</h2>
      {Object.entries(doc.components.schemas).map(([name, schema]) => (
        <article key={name} id={`schema-${name}`} className="api-operation">
          <h3>
            <code>{name}</code>
          </h3>
          <pre>{shape(schema)}</pre>
        </article>
      ))}
    </section>
  )
}
