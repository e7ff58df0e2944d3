import t from 'tap'
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pruneExitCodes, readExitCode, writeExitCode } from './exit-codes.js'

t.test('exit codes of removed containers: written, read, pruned when old', async t => {
  const runRoot = mkdtempSync(join(tmpdir(), 'tspod-exits-'))
  t.teardown(() => rmSync(runRoot, { recursive: true, force: true }))
  t.equal(readExitCode(runRoot, 'a'.repeat(64)), undefined, 'none yet')
  pruneExitCodes(runRoot) // no directory yet: nothing to do
  writeExitCode(runRoot, 'a'.repeat(64), 7)
  writeExitCode(runRoot, 'b'.repeat(64), 0)
  t.equal(readExitCode(runRoot, 'a'.repeat(64)), 7)
  t.equal(readExitCode(runRoot, 'b'.repeat(64)), 0)
  const old = (Date.now() - 10 * 60_000) / 1000
  utimesSync(join(runRoot, 'exits', 'a'.repeat(64)), old, old)
  pruneExitCodes(runRoot)
  t.same(readdirSync(join(runRoot, 'exits')), ['b'.repeat(64)], 'ten minutes old: gone; fresh: kept')
})
