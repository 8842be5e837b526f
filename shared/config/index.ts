export { loadConfig, configHelp, configSchema, ConfigError, type Config } from './config.server.ts'
