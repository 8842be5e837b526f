import { existsSync } from 'node:fs'
import { ConfigError, loadConfig, type Config } from '#shared/config'

/**
 * The validated configuration from the environment (and `.env`, whose values never override
 * variables already set: Node's loadEnvFile). Invalid: the reasons on stderr, exit 1.
 */
export function readConfig({ built }: { built: boolean }): Config {
  if (existsSync('.env')) process.loadEnvFile('.env')
  try {
    // Dev listens on this machine only: Vite serves the project's files, data/ included.
    const devDefaults = built ? {} : { HOST: '127.0.0.1' }
    return loadConfig({ NODE_ENV: built ? 'production' : 'development', ...devDefaults, ...process.env })
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${err.message}\nRun with --help to list every setting.\n`)
    process.exit(1)
  }
}
