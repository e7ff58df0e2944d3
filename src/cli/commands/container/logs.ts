import { Command, Option } from 'clipanion'
import { TspodCommand } from '../../base.js'
import { readContainerLogs } from '../../../io/log-reader.js'
import { parseLogTimeArg } from '../../../io/log-time.js'
import { TspodError } from '../../../engine/errors.js'

export class LogsCommand extends TspodCommand {
  static paths = [['logs'], ['container', 'logs']]
  static usage = Command.Usage({
    category: 'Containers',
    description: 'Fetch the logs of one or more containers',
    details: 'The container\'s stdout goes to stdout and its stderr to stderr. `--since`/`--until` take RFC 3339 times, Unix timestamps or durations (`10m`).',
    examples: [
      ['Follow a container\'s output', '$0 logs -f web'],
      ['The last 20 lines with timestamps', '$0 logs --tail 20 -t web'],
    ],
  })

  follow = Option.Boolean('-f,--follow', false, { description: 'Follow log output' })
  tail = Option.String('--tail', { description: 'Output the specified number of LINES at the end of the logs (-1: all)' })
  timestamps = Option.Boolean('-t,--timestamps', false, { description: 'Output the timestamps in the log' })
  since = Option.String('--since', { description: 'Show logs since TIMESTAMP' })
  until = Option.String('--until', { description: 'Show logs until TIMESTAMP' })
  latest = Option.Boolean('-l,--latest', false, { description: 'Act on the latest container tspod is aware of' })
  names = Option.Rest({ name: 'CONTAINER' })

  async run(): Promise<number> {
    let tail: number | undefined
    if (this.tail !== undefined) {
      tail = Number(this.tail)
      if (!Number.isInteger(tail)) throw new TspodError('invalid-argument', `invalid argument "${this.tail}" for "--tail" flag: strconv.ParseInt: parsing "${this.tail}": invalid syntax`)
      if (tail < 0) tail = undefined
    }
    const since = this.since !== undefined ? parseLogTimeArg(this.since, 'since') : undefined
    const until = this.until !== undefined ? parseLogTimeArg(this.until, 'until') : undefined
    const engine = await this.engine()
    const names = this.latest ? [(await engine.containers.latest()).id] : this.names
    if (names.length === 0) throw new TspodError('invalid-argument', 'no containers specified')
    for (const name of names) {
      const { record } = await engine.containers.get(name)
      const exited = this.follow ? engine.containers.wait(record.id).catch(() => 0) : undefined
      await readContainerLogs(
        engine.containers.paths(record.id).logPath,
        { stdout: this.context.stdout, stderr: this.context.stderr },
        { tail, since, until, timestamps: this.timestamps, follow: this.follow, exited },
      )
    }
    return 0
  }
}
