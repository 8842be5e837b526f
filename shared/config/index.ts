export { loadConfig, configHelp, configSchema, ConfigError, DEVELOPMENT_SESSION_SECRET, sessionSecret, type Config } from './config.server.ts'
