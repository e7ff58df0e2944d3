/** Flag values shared by several commands, parsed as podman parses them. */
import { InvalidArgumentError } from '../engine/errors.js'

/** `--tls-verify`, `--tls-verify=false`: undefined when absent (registries.conf decides). */
export function tlsVerifyFlag(value: string | boolean | undefined): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'boolean') return value
  return parseBool(value, '--tls-verify')
}

/** `--sig-proxy`, `--sig-proxy=false`: true unless turned off (podman's default). */
export function sigProxyFlag(value: string | boolean | undefined): boolean {
  if (value === undefined || typeof value === 'boolean') return value ?? true
  return parseBool(value, '--sig-proxy')
}

export function parseBool(value: string, flag: string): boolean {
  switch (value.toLowerCase()) {
    case '1':
    case 't':
    case 'true':
      return true
    case '0':
    case 'f':
    case 'false':
      return false
  }
  throw new InvalidArgumentError(`invalid argument "${value}" for "${flag}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`)
}

/** A Go int flag (`-n, --last`), with pflag's error for anything else. */
export function parseIntFlag(value: string, flag: string): number {
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`invalid argument "${value}" for "${flag}" flag: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`)
  }
  return Number(value)
}

/** A Go uint flag (`-t, --time`). */
export function parseUintFlag(value: string, flag: string): number {
  if (!/^\+?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`invalid argument "${value}" for "${flag}" flag: strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`)
  }
  return Number(value)
}
