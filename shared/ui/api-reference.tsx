/** A readable reference of the OpenAPI document: each operation, its parameters and body. */
type Doc = { info: { title: string; version: string }; paths: Record<string, Record<string, { tags: string[]; parameters: { name: string; in: string; required: boolean; schema: unknown }[]; requestBody?: { content: { 'application/json': { schema: unknown } } } }>> }

export function ApiReference({ doc }: { doc: Doc }) {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, ...operation })))
  return (
    <section className="api-reference">
      <h1>{doc.info.title}</h1>
      <p>
        Version {doc.info.version}. Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors answer{' '}
        <code>{'{ "error": { "code", "message", "issues"? } }'}</code>.
      </p>
      {operations.map((operation) => (
        <article key={`${operation.method} ${operation.path}`} className="api-operation">
          <h2>
            <code>{`${operation.method.toUpperCase()} ${operation.path}`}</code>
          </h2>
          {operation.parameters.length > 0 && (
            <ul>
              {operation.parameters.map((parameter) => (
                <li key={`${parameter.in}:${parameter.name}`}>
                  <code>{parameter.name}</code> ({parameter.in}
                  {parameter.required ? ', required' : ''}): <code>{JSON.stringify(parameter.schema)}</code>
                </li>
              ))}
            </ul>
          )}
          {operation.requestBody && <pre>{JSON.stringify(operation.requestBody.content['application/json'].schema, null, 2)}</pre>}
        </article>
      ))}
    </section>
  )
}
