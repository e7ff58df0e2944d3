/**
 * The one place koffi is loaded. Loading costs a few milliseconds, so it happens
 * on first use: commands that never make a syscall Node lacks never pay for it.
 * Binding modules beside this file declare their functions through `libc()`.
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type * as Koffi from 'koffi'

type KoffiModule = typeof Koffi
let koffiModule: KoffiModule | undefined
let libcLib: Koffi.LibraryHandle | undefined

export function koffi(): KoffiModule {
  koffiModule ??= loadPrebuiltKoffi() ?? (createRequire(import.meta.url)('koffi') as KoffiModule)
  return koffiModule
}

/**
 * koffi's own entry probes platforms, reads ELF headers and wraps deprecated
 * APIs: about 4 ms, paid by every `run` twice (CLI and shim). Its prebuilt
 * native module for this platform, loaded directly, takes under one. Anything
 * unexpected (another libc, a build from source) goes through koffi's entry.
 */
export function loadPrebuiltKoffi(): KoffiModule | undefined {
  const prebuilt = `@koromix/koffi-${process.platform}-${process.arch}/${process.platform}_${process.arch}/koffi.node`
  // Where a checkout or `npm ci` puts it (beside dist/ and native-bindings/), else wherever Node's resolution finds it.
  const candidates = [
    () => fileURLToPath(new URL(`../node_modules/${prebuilt}`, import.meta.url)),
    () => {
      const req = createRequire(import.meta.url)
      return req.resolve(prebuilt, { paths: [req.resolve('koffi')] })
    },
  ]
  for (const candidate of candidates) {
    try {
      const mod = { exports: {} as KoffiModule }
      process.dlopen(mod, candidate())
      if (typeof mod.exports.load === 'function' && typeof mod.exports.errno === 'function') return mod.exports
    } catch {}
  }
  return undefined
}

export function libc(): Koffi.LibraryHandle {
  if (!libcLib) libcLib = koffi().load('libc.so.6')
  return libcLib
}

/** Declare a libc function once, on first call. */
export function lazyFn<T extends (...args: any[]) => any>(signature: string): () => T {
  let fn: T | undefined
  return () => (fn ??= libc().func(signature) as unknown as T)
}

/**
 * errno of the last failed koffi call on this thread (valid right after the
 * call; inside an async call's callback, the worker's errno, which koffi
 * restores for the callback's duration).
 */
export function errno(): number {
  return koffi().errno()
}

/** An Error shaped like Node's own syscall errors (`code`, `errno`, `syscall`). */
export function syscallError(syscall: string, err: number, path?: string): NodeJS.ErrnoException {
  const os = createRequire(import.meta.url)('node:os') as typeof import('node:os')
  const name = Object.entries(os.constants.errno).find(([, v]) => v === err)?.[0] ?? `E${err}`
  const e = new Error(`${syscall}${path ? ` ${path}` : ''}: ${name}`) as NodeJS.ErrnoException
  e.code = name
  e.errno = -err
  e.syscall = syscall
  if (path) e.path = path
  return e
}
