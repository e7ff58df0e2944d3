/** Replaced at build time by scripts/build.mjs (esbuild `define`). */
declare const __TSPOD_VERSION__: string | undefined
declare const __TSPOD_BUILT__: string | undefined

export const VERSION: string = typeof __TSPOD_VERSION__ === 'string' ? __TSPOD_VERSION__ : '0.0.0-dev'
/** Unix seconds of the build, 0 when running from source. */
export const BUILT: number = typeof __TSPOD_BUILT__ === 'string' ? Number(__TSPOD_BUILT__) : 0
/** tspod's own API version (the library's), podman's `APIVersion` field. */
export const API_VERSION = VERSION
