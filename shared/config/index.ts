export {
  loadConfig,
  configHelp,
  configSchema,
  emptySettings,
  misspeltSettings,
  ConfigError,
  DEVELOPMENT_SESSION_SECRET,
  sessionSecret,
  type Config,
} from './config.server.ts'
