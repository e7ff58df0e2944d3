/**
 * Human-readable sizes exactly as docker/go-units prints them (podman's
 * SIZE columns): decimal units with %.*g formatting, e.g. "4.26MB", "1.2kB",
 * "999B", and "1e+03kB" where Go's %g rounds up to the next power of ten.
 */
import { formatFloat } from './template/float.js'

const decimalAbbrs = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB']
const binaryAbbrs = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB']

function sizeAndUnit(size: number, base: number, abbrs: string[]): [number, string] {
  let i = 0
  while (size >= base && i < abbrs.length - 1) {
    size /= base
    i++
  }
  return [size, abbrs[i]!]
}

/** go-units HumanSizeWithPrecision: `fmt.Sprintf("%.*g%s", precision, size, unit)`. */
export function humanSizeWithPrecision(size: number, precision: number): string {
  const [v, unit] = sizeAndUnit(size, 1000, decimalAbbrs)
  return formatFloat(v, 'g', precision) + unit
}

/** go-units HumanSize (4 significant digits), e.g. "2.746MB". */
export function humanSize(size: number): string {
  return humanSizeWithPrecision(size, 4)
}

/** go-units BytesSize: binary units, e.g. "44KiB", "17MiB". */
export function bytesSize(size: number): string {
  const [v, unit] = sizeAndUnit(size, 1024, binaryAbbrs)
  return formatFloat(v, 'g', 4) + unit
}

/** podman images' SIZE column: HumanSizeWithPrecision(size, 3) with a space before the unit ("4.26 MB"). */
export function imageSize(size: number): string {
  const s = humanSizeWithPrecision(size, 3)
  const j = s.search(/[^0-9]*$/) // after the last digit
  return s.slice(0, j) + ' ' + s.slice(j)
}

/** podman ps --size: "RW (virtual ROOTFS)", e.g. "1.02kB (virtual 4.26MB)". */
export function containerSize(rwSize: number, rootFsSize: number): string {
  return `${humanSizeWithPrecision(rwSize, 3)} (virtual ${humanSizeWithPrecision(rootFsSize, 3)})`
}
