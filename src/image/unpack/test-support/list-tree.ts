/** Tests only: a file tree as a map from relative path to a short description. */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import type { TreeListing } from './jobs.js'

export function listTree(root: string, rel = '', out: TreeListing = {}): TreeListing {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = rel ? `${rel}/${name}` : name
    const full = join(root, path)
    const st = lstatSync(full)
    if (st.isDirectory()) {
      out[path] = 'dir'
      listTree(root, path, out)
    } else if (st.isSymbolicLink()) out[path] = `symlink:${readlinkSync(full)}`
    else if (st.isFile()) out[path] = `file:${readFileSync(full, 'utf8')}`
    else if (st.isCharacterDevice()) out[path] = `chardev:${st.rdev}`
    else out[path] = 'other'
  }
  return out
}
