export { createLogger, flushLogs, type Logger, type LogLevel, type LogFields, type LoggerOptions } from './logger.server.ts'
