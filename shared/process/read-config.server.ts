import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError, emptySettings, loadConfig, misspeltSettings, type Config } from '#shared/config'

/**
 * The validated configuration from the environment (and `.env`, whose values never override
 * variables already set: Node's loadEnvFile). Invalid: the reasons on stderr, exit 1.
 */
export function readConfig({ built }: { built: boolean }): Config {
  loadDotEnv()
  try {
    // Dev listens on this machine only: Vite serves the project's files, data/ included.
    const devDefaults = built ? {} : { HOST: '127.0.0.1' }
    const config = loadConfig({ NODE_ENV: built ? 'production' : 'development', ...devDefaults, ...process.env })
    // A .env copied from a checkout would sign device cookies with the public development key,
    // serve /metrics to anyone and drop cookies' Secure flag, without a word.
    if (built && config.NODE_ENV !== 'production') {
      throw new ConfigError(`Invalid configuration:\n  NODE_ENV: the built server runs as production only, not ${config.NODE_ENV} (development: npm run dev)`)
    }
    for (const name of emptySettings(process.env)) {
      const used = config[name as keyof Config]
      process.stderr.write(`Warning: ${name} is set but empty, so it is taken as unset${used === undefined ? '' : `: ${used}`} (--help lists every setting)\n`)
    }
    for (const [name, meant] of misspeltSettings(process.env)) {
      process.stderr.write(`Warning: ${name} is not a setting Tessera reads: did you mean ${meant}? (it is not set; --help lists every setting)\n`)
    }
    return config
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${err.message}\nRun with --help to list every setting.\n`)
    process.exit(1)
  }
}

/** `.env` in the working directory, if there is one; one that cannot be read (a folder, no permission) is one line and exit 1, not a stack. */
function loadDotEnv(): void {
  if (!existsSync('.env')) return
  try {
    process.loadEnvFile('.env')
  } catch (err) {
    // Node's own message for a folder is "Contents of '.env' should be a valid string".
    const reason = statSync('.env').isDirectory() ? 'a folder, not a file' : ((err as NodeJS.ErrnoException).code ?? String(err))
    process.stderr.write(`.env: cannot read ${resolve('.env')} (${reason}): make it a file of NAME=value lines this user may read, or remove it.\n`)
    process.exit(1)
  }
}
