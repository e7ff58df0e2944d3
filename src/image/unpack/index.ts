/** Layer unpacking: one layer blob into its own directory, for rootless overlayfs. */
export { unpackLayer, type UnpackOptions, type UnpackResult } from './unpack.js'
export { checkLayerMediaType } from './decompress.js'
export { OPAQUE_XATTR } from './layer-tree.js'
