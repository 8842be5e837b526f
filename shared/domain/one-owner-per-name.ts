import { DomainMistake } from './domain-mistake.ts'

/** One domain's (or the platform's) named parts of a kind: its jobs, its commands, its sitemap sources. */
export type NamedParts<T> = { owner: string; parts: Record<string, T> | undefined }

/**
 * The named parts of every domain as one record. A name two of them use stops the start, naming
 * both: merged as they were, the later one silently replaced the other (another domain's `notify`
 * job ran orders' notifications; its `backup` command made no backup).
 * @example oneOwnerPerName('job', domains.map((domain) => ({ owner: domain.name, parts: domain.jobs?.(deps) })))
 */
export function oneOwnerPerName<T>(kind: string, all: NamedParts<T>[]): Record<string, T> {
  const merged: Record<string, T> = {}
  const owners = new Map<string, string>()
  for (const { owner, parts } of all) {
    for (const [name, part] of Object.entries(parts ?? {})) {
      const other = owners.get(name)
      if (other !== undefined) throw new DomainMistake(`Both ${other} and ${owner} define the ${kind} "${name}": rename one of them`)
      owners.set(name, owner)
      merged[name] = part
    }
  }
  return merged
}
