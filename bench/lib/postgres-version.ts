import pg from 'pg'

/** A PostgreSQL server's version as it reports it (`15.18 (Debian 15.18-0+deb12u1)`), for a results file. */
export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v
  } finally {
    await client.end()
  }
}
