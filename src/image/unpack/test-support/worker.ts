/**
 * Tests only: the program the unpack tests run inside the user namespace
 * (see userns.ts). It reads a JSON list of jobs from the file named by argv[2]
 * and prints one JSON list of results; a failing job does not stop the rest.
 */
import { spawnSync } from 'node:child_process'
import { createReadStream, readFileSync, rmSync } from 'node:fs'
import { unpackLayer } from '../unpack.js'
import { serveJobs, type Job } from './jobs.js'
import { listTree } from './list-tree.js'

async function run(job: Job): Promise<unknown> {
  switch (job.op) {
    case 'unpack':
      return unpackLayer(createReadStream(job.blob, { highWaterMark: 1 << 20 }), job.dest, {
        mediaType: job.mediaType,
        expectedDiffId: job.expectedDiffId,
      })
    case 'overlay': {
      const options = `userxattr,lowerdir=${job.lowers.join(':')}`
      exec('mount', ['-t', 'overlay', 'overlay', '-o', options, job.mountpoint])
      try {
        return listTree(job.mountpoint)
      } finally {
        exec('umount', [job.mountpoint])
      }
    }
    case 'rm':
      rmSync(job.path, { recursive: true, force: true })
      return null
    case 'id':
      return { uid: process.getuid?.(), gid: process.getgid?.(), uidMap: readFileSync('/proc/self/uid_map', 'utf8') }
  }
}

function exec(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' })
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`)
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`)
}

await serveJobs<Job>(run)
