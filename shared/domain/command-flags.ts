import { UsageError } from './usage-error.ts'

/**
 * A command's flags, `--name value` or `--name=value`, for the names given. An unknown flag, a
 * flag given twice or without a value, or any other argument is a UsageError (exit 2) that
 * quotes `usage`, whose first word is the command.
 * @example const { count } = readFlags('seed [--count N]', args, ['count'])
 */
export function readFlags<Name extends string>(usage: string, args: readonly string[], names: readonly Name[]): Partial<Record<Name, string>> {
  const values: Partial<Record<Name, string>> = {}
  const refuse = (problem: string) => new UsageError(`${usage.split(' ')[0]}: ${problem}. Usage: ${usage}`)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (!arg.startsWith('--')) throw refuse(`unexpected argument "${arg}"`)
    const equals = arg.indexOf('=')
    const name = (equals < 0 ? arg.slice(2) : arg.slice(2, equals)) as Name
    if (!names.includes(name)) throw refuse(`unknown option "--${name}"`)
    if (values[name] !== undefined) throw refuse(`--${name} given twice`)
    const value = equals < 0 ? args[++i] : arg.slice(equals + 1)
    if (value === undefined || value === '' || (equals < 0 && value.startsWith('--'))) throw refuse(`--${name} needs a value`)
    values[name] = value
  }
  return values
}

/** A flag's value as a decimal whole number within [min, max]: "1e6", "12.0", "-3" or "0x10" are UsageErrors. */
export function wholeNumberFlag(usage: string, name: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(value >= min && value <= max))
    throw new UsageError(
      `${usage.split(' ')[0]}: --${name} must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}, not "${text}". Usage: ${usage}`,
    )
  return value
}
