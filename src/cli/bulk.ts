/**
 * How podman's bulk verbs (rm, stop, kill, restart) pick their containers
 * and report: names are all looked up before anything is done (a missing
 * one fails the command unless ignored); `--all`, `--latest` and `--filter`
 * echo full IDs, names are echoed as typed; failures are listed after the
 * successes, each as `Error: …`, and the status is the command's rule's.
 */
import { readFile } from 'node:fs/promises'
import type { Engine } from '../engine/engine.js'
import { InvalidArgumentError, TspodError, isTspodError } from '../engine/errors.js'
import { compilePsFilters } from '../engine/views/ps-filters.js'
import { asTspodError } from '../engine/containers/service.js'

export interface Selection {
  all: boolean
  latest: boolean
  names: readonly string[]
  filters?: readonly string[]
  /** --cidfile paths: each file's first line is an ID. */
  cidFiles?: readonly string[]
}

export interface BulkTarget {
  id: string
  /** What is printed on success. */
  echo: string
}

/** validate.CheckAllLatestAndIDFile */
export function checkSelection(sel: Selection): void {
  const cid = (sel.cidFiles?.length ?? 0) > 0
  if ((sel.filters?.length ?? 0) > 0) {
    if (sel.names.length > 0) throw new InvalidArgumentError('--filter takes no arguments')
    return
  }
  if (cid && (sel.all || sel.latest)) throw new InvalidArgumentError('--all, --latest, and --cidfile cannot be used together')
  if (sel.all && sel.latest) throw new InvalidArgumentError('--all and --latest cannot be used together')
  if (sel.names.length > 0 && sel.all) throw new InvalidArgumentError('no arguments are needed with --all')
  if (sel.names.length > 0 && sel.latest) throw new InvalidArgumentError('--latest and containers cannot be used together')
  if (sel.names.length === 0 && !sel.all && !sel.latest && !cid) throw new InvalidArgumentError('you must provide at least one name or id')
}

/**
 * The containers a selection names, and the lookups that failed (in input
 * order). `allFilter` narrows `--all` (kill only signals running containers).
 */
export async function selectContainers(
  engine: Engine,
  sel: Selection,
  allFilter?: (running: boolean) => boolean,
): Promise<{ targets: BulkTarget[]; missing: TspodError[] }> {
  if ((sel.filters?.length ?? 0) > 0) {
    const everything = await engine.containers.list()
    const { match } = compilePsFilters(sel.filters!, everything)
    return { targets: everything.filter(match).map(e => ({ id: e.record.id, echo: e.record.id })), missing: [] }
  }
  if (sel.all) {
    const list = await engine.containers.list()
    const chosen = list.filter(e => !allFilter || allFilter(e.state.status === 'running' || e.state.status === 'stopping'))
    return { targets: chosen.map(e => ({ id: e.record.id, echo: e.record.id })), missing: [] }
  }
  if (sel.latest) {
    const latest = await engine.containers.latest()
    return { targets: [{ id: latest.id, echo: latest.id }], missing: [] }
  }
  const names = [...sel.names]
  for (const file of sel.cidFiles ?? []) {
    let text
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      throw new TspodError('invalid-argument', `reading CIDFile: ${(err as Error).message}`)
    }
    names.push(text.split('\n')[0]!)
  }
  const targets: BulkTarget[] = []
  const missing: TspodError[] = []
  for (const name of names) {
    try {
      targets.push({ id: (await engine.containers.lookup(name)).id, echo: name })
    } catch (err) {
      if (!isTspodError(err, 'not-found')) throw err
      missing.push(err)
    }
  }
  return { targets, missing }
}

export interface BulkOutcome {
  target: BulkTarget
  error?: TspodError
}

/** Apply `verb` to each target in turn. */
export async function applyEach(targets: readonly BulkTarget[], verb: (id: string) => Promise<unknown>): Promise<BulkOutcome[]> {
  const out: BulkOutcome[] = []
  for (const target of targets) {
    try {
      await verb(target.id)
      out.push({ target })
    } catch (err) {
      out.push({ target, error: asTspodError(err) })
    }
  }
  return out
}

/** Print successes, then the errors; the exit status from `status` (podman's rm sets 1 and 2), 0 if none failed. */
export function printOutcomes(
  io: { out: (s: string) => void; err: (s: string) => void },
  outcomes: readonly BulkOutcome[],
  status: (errors: TspodError[]) => number = () => 125,
): number {
  const errors: TspodError[] = []
  for (const o of outcomes) {
    if (o.error) errors.push(o.error)
    else io.out(`${o.target.echo}\n`)
  }
  for (const e of errors) io.err(`Error: ${e.message}\n`)
  return errors.length > 0 ? status(errors) : 0
}

/** podman rm's setExitCode: 1 once a container was missing, else 2 for one in a bad state, else 125. */
export function rmStatus(errors: readonly TspodError[]): number {
  let code = 125
  for (const e of errors) {
    if (code === 1) break
    if (e.code === 'not-found') code = 1
    else if (e.code === 'failed-precondition') code = 2
  }
  return code
}
