export { createLogger, exitAfterLogs, relayWorkerLogs, type Logger, type LogLevel, type LogFields, type LoggerOptions } from './logger.server.ts'
