/**
 * `ps --size`: a container's writable-layer size (the overlay upper dir) and
 * its image's size, as podman reports RWSize and RootFsSize. The upper dir
 * is read from outside tspod's user namespace: files of the container's root
 * are this user's, so the walk sees nearly everything; a directory another
 * mapped id keeps private (mode 0700) is skipped, where podman, inside the
 * namespace, would count it.
 */
import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'

const ignorable = (err: unknown) => ['ENOENT', 'EACCES', 'EPERM', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')

/** containers/storage directory.Size: bytes of everything but directories, hard links once. */
export async function directorySize(dir: string): Promise<number> {
  const seen = new Set<string>()
  let total = 0
  const walk = async (path: string): Promise<void> => {
    let names: string[]
    try {
      names = await readdir(path)
    } catch (err) {
      if (ignorable(err)) return
      throw err
    }
    for (const name of names) {
      const p = join(path, name)
      let st
      try {
        st = await lstat(p, { bigint: false })
      } catch (err) {
        if (ignorable(err)) continue
        throw err
      }
      if (st.isDirectory()) {
        await walk(p)
        continue
      }
      const key = `${st.dev}:${st.ino}`
      if (st.nlink > 1) {
        if (seen.has(key)) continue
        seen.add(key)
      }
      total += st.size
    }
  }
  await walk(dir)
  return total
}
