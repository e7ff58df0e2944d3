/**
 * Tests only: the program the storage tests run inside the user namespace
 * (see jobs.ts). Reads a JSON list of jobs from argv[2], prints one JSON list
 * of results; a failing job does not stop the rest.
 */
import { createReadStream, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import { lgetxattr, llistxattr } from '../../../native-bindings/fs.js'
import { unpackLayer } from '../../image/unpack/unpack.js'
import { rootfsDriver } from '../drivers.js'
import { isMounted, mountedType } from '../mounts.js'
import type { Job, ViewResult } from './jobs.js'
import { serveJobs } from '../../image/unpack/test-support/jobs.js'

async function run(job: Job): Promise<unknown> {
  switch (job.op) {
    case 'unpack':
      return unpackLayer(createReadStream(job.blob), job.dest)
    case 'view': {
      const driver = rootfsDriver(job.spec.driver)
      driver.mount(job.spec)
      let tree: Record<string, string>
      const mountType = mountedType(job.spec.target)
      try {
        tree = describeTree(job.spec.target)
      } finally {
        driver.unmount(job.spec.target)
      }
      return { mountType, mountedAfterUnmount: isMounted(job.spec.target), tree } satisfies ViewResult
    }
    case 'rm':
      rmSync(job.path, { recursive: true, force: true })
      return null
  }
}

function describeTree(root: string): Record<string, string> {
  const out: Record<string, string> = {}
  const firstName = new Map<number, string>()
  const walk = (rel: string) => {
    for (const name of readdirSync(rel ? `${root}/${rel}` : root).sort()) {
      const path = rel ? `${rel}/${name}` : name
      const full = `${root}/${path}`
      const st = lstatSync(full)
      const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? `chardev(${st.rdev})` : 'other'
      const parts = [type, (st.mode & 0o7777).toString(8), `${st.uid}:${st.gid}`, `mtime=${Math.floor(st.mtimeMs / 1000)}`]
      if (st.isFile()) parts.push(JSON.stringify(readFileSync(full, 'utf8')))
      if (st.isSymbolicLink()) parts.push(`-> ${readlinkSync(full)}`)
      if (!st.isSymbolicLink()) {
        const xattrs = llistxattr(full).filter(n => n.startsWith('user.')).sort()
        if (xattrs.length) parts.push(`xattrs=${xattrs.map(n => `${n}=${lgetxattr(full, n)?.toString()}`).join(',')}`)
      }
      if (st.isFile()) {
        const first = firstName.get(st.ino)
        if (first !== undefined) parts.push(`link=${first}`)
        else firstName.set(st.ino, path)
      }
      out[path] = parts.join(' ')
      if (st.isDirectory()) walk(path)
    }
  }
  walk('')
  return out
}

await serveJobs<Job>(run)
