export { loadConfig, configSchema, ConfigError, type Config } from './config.server.ts'
