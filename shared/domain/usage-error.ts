/**
 * A command's arguments are wrong (or ask for what cannot be done): the process prints the message
 * as one line and exits 2, having written nothing; 1 stays for failures of the command itself.
 * Read by its `exitCode`, not `instanceof`: in dev the command's module graph is Vite's, not the process's.
 * @example throw new UsageError('--count must be a whole number from 1 to 10000000, not "abc".')
 */
export class UsageError extends Error {
  readonly exitCode = 2
}
