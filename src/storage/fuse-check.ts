/**
 * The CLI's side of the fuse-overlayfs driver: can it be used here (the
 * program installed, /dev/fuse usable), and what `info` says about it.
 */
import { accessSync, constants } from 'node:fs'
import { lookPath } from '../runtime/driver/runtime.js'
import { FUSE_OVERLAYFS } from './fuse-overlayfs.js'

export type FuseCheck =
  | { ok: true; program: string }
  | {
      ok: false
      /** What is missing, as a clause: "fuse-overlayfs is not installed". */
      reason: string
      /** What to do, as an imperative: "install fuse-overlayfs (apt-get install fuse-overlayfs)". */
      fix: string
    }

export function checkFuseOverlayfs(env: NodeJS.ProcessEnv = process.env, device = '/dev/fuse'): FuseCheck {
  const program = lookPath(FUSE_OVERLAYFS, env)
  if (!program) return { ok: false, reason: 'fuse-overlayfs is not installed', fix: 'install fuse-overlayfs (apt-get install fuse-overlayfs)' }
  try {
    accessSync(device, constants.R_OK | constants.W_OK)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { ok: false, reason: `${device} does not exist`, fix: 'load the fuse kernel module (modprobe fuse)' }
    }
    return { ok: false, reason: `${device} is not readable and writable by this user`, fix: `let users open it (chmod 666 ${device})` }
  }
  return { ok: true, program }
}

/** podman's `overlay.mount_program` entry of `info`'s GraphOptions. */
export async function mountProgramInfo(program: string): Promise<{ Executable: string; Package: string; Version: string }> {
  const { execa } = await import('execa')
  const version = await execa(program, ['--version'], { reject: false, all: true })
  return { Executable: program, Package: await debianPackage(program), Version: String(version.all ?? '').trim() }
}

/** "NAME_VERSION_ARCH" of the Debian package that installed `path`, as podman shows it; "Unknown" elsewhere. */
async function debianPackage(path: string): Promise<string> {
  const { execa } = await import('execa')
  const owner = await execa('dpkg-query', ['-S', path], { reject: false })
  const name = owner.exitCode === 0 ? String(owner.stdout).split(':')[0]?.trim() : undefined
  if (!name) return 'Unknown'
  const pkg = await execa('dpkg-query', ['-W', '-f=${Package}_${Version}_${Architecture}', name], { reject: false })
  return pkg.exitCode === 0 && pkg.stdout ? String(pkg.stdout) : 'Unknown'
}
