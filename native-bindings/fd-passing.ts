/**
 * Passing a file descriptor over a unix socket (SCM_RIGHTS). This is how
 * `runc run --console-socket PATH` hands over the container's pty master: runc
 * connects to PATH and sends the fd, with the master's file name as payload.
 * The listener waits on Node's event loop (non-blocking socket polled by libuv),
 * and the received fd is an ordinary number for `fs` or `new tty.ReadStream(fd)`.
 */
import { closeSync, openSync, constants as fsConstants, unlinkSync } from 'node:fs'
import { endianness } from 'node:os'
import { basename, dirname } from 'node:path'
import type * as Koffi from 'koffi'
import { errno, koffi, lazyFn, syscallError } from './libc.js'
import { whenReadable, type Readable } from './poll.js'

export interface ReceivedFd {
  fd: number
  /** The payload sent with it: runc sends the file name of the pty master (/dev/ptmx). */
  name: string
}

export interface FdListener {
  readonly path: string
  /** The next fd a peer sends; call again for another connection. */
  receive(): Promise<ReceivedFd>
  /** Stops listening (a pending receive() rejects) and removes the socket file. */
  close(): void
}

interface MsgHdr {
  msg_name: null
  msg_namelen: number
  msg_iov: { iov_base: Buffer; iov_len: number }[]
  msg_iovlen: number
  msg_control: Buffer
  msg_controllen: number
  msg_flags: number
}
type Socket = (domain: number, type: number, protocol: number) => number
type Bind = (fd: number, addr: Buffer, len: number) => number
type Listen = (fd: number, backlog: number) => number
type Accept4 = (fd: number, addr: null, len: null, flags: number) => number
type Shutdown = (fd: number, how: number) => number
type SendMsg = (fd: number, msg: MsgHdr, flags: number) => number
type RecvMsg = (fd: number, msg: MsgHdr, flags: number) => number

let msghdrType: Koffi.TypeObject | undefined
function msghdr(): Koffi.TypeObject {
  if (!msghdrType) {
    const k = koffi()
    const iovec = k.struct('tspod_iovec', { iov_base: 'void *', iov_len: 'size_t' })
    msghdrType = k.struct('tspod_msghdr', {
      msg_name: 'void *',
      msg_namelen: 'uint32_t',
      msg_iov: k.pointer(iovec),
      msg_iovlen: 'size_t',
      msg_control: 'void *',
      msg_controllen: 'size_t',
      msg_flags: 'int',
    })
  }
  return msghdrType
}

const socketFn = lazyFn<Socket>('int socket(int domain, int type, int protocol)')
const bindFn = lazyFn<Bind>('int bind(int fd, const void *addr, uint32_t len)')
const connectFn = lazyFn<Bind>('int connect(int fd, const void *addr, uint32_t len)')
const listenFn = lazyFn<Listen>('int listen(int fd, int backlog)')
const accept4Fn = lazyFn<Accept4>('int accept4(int fd, void *addr, void *len, int flags)')
const shutdownFn = lazyFn<Shutdown>('int shutdown(int fd, int how)')
// These two name the struct type: declare it first.
const sendmsgLazy = lazyFn<SendMsg>('intptr_t sendmsg(int fd, const tspod_msghdr *msg, int flags)')
const recvmsgLazy = lazyFn<RecvMsg>('intptr_t recvmsg(int fd, _Inout_ tspod_msghdr *msg, int flags)')
const sendmsgFn = () => (msghdr(), sendmsgLazy())
const recvmsgFn = () => (msghdr(), recvmsgLazy())

const AF_UNIX = 1
const SOCK_STREAM = 1
const SOCK_NONBLOCK = 0o4000
const SOCK_CLOEXEC = 0o2000000
const SOL_SOCKET = 1
const SCM_RIGHTS = 1
const MSG_CTRUNC = 0x8
const MSG_CMSG_CLOEXEC = 0x40000000
const SHUT_RDWR = 2
const EAGAIN = 11
const EINTR = 4
const SUN_PATH_MAX = 108
const LE = endianness() === 'LE'

/** struct cmsghdr is { size_t len; int level; int type; data }, aligned to size_t. */
const CMSG_HDR = 16
const cmsgSpace = (dataLen: number) => CMSG_HDR + ((dataLen + 7) & ~7)

function readU64(buf: Buffer, off: number): number {
  return Number(LE ? buf.readBigUInt64LE(off) : buf.readBigUInt64BE(off))
}
function readI32(buf: Buffer, off: number): number {
  return LE ? buf.readInt32LE(off) : buf.readInt32BE(off)
}

/**
 * Calls `fn` with a struct sockaddr_un for `path`. Paths longer than sun_path
 * (108 bytes; deep $XDG_RUNTIME_DIR or test dirs) go through
 * /proc/self/fd/DIRFD/NAME, which the kernel resolves like the real path.
 */
function withSockaddr<T>(path: string, fn: (addr: Buffer) => T): T {
  let dirfd: number | undefined
  let target = path
  if (Buffer.byteLength(path) >= SUN_PATH_MAX) {
    dirfd = openSync(dirname(path), fsConstants.O_RDONLY | fsConstants.O_DIRECTORY)
    target = `/proc/self/fd/${dirfd}/${basename(path)}`
    if (Buffer.byteLength(target) >= SUN_PATH_MAX) {
      closeSync(dirfd)
      throw syscallError('bind', 36 /* ENAMETOOLONG */, path)
    }
  }
  try {
    const addr = Buffer.alloc(2 + SUN_PATH_MAX)
    if (LE) addr.writeUInt16LE(AF_UNIX, 0)
    else addr.writeUInt16BE(AF_UNIX, 0)
    addr.write(target, 2)
    return fn(addr)
  } finally {
    if (dirfd !== undefined) closeSync(dirfd)
  }
}

function newSocket(flags: number): number {
  const fd = socketFn()(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0)
  if (fd < 0) throw syscallError('socket', errno())
  return fd
}

/** Listen on a new unix socket at `path` (which must not exist) for one fd per connection. */
export function listenForFd(path: string): FdListener {
  const fd = newSocket(SOCK_NONBLOCK)
  try {
    withSockaddr(path, addr => {
      if (bindFn()(fd, addr, addr.length) !== 0) throw syscallError('bind', errno(), path)
    })
    if (listenFn()(fd, 4) !== 0) throw syscallError('listen', errno(), path)
  } catch (err) {
    closeSync(fd)
    throw err
  }

  let closed = false
  let waiting: Readable | undefined
  let busy = false

  const wait = async (on: number) => {
    if (closed) throw new Error(`fd listener ${path} is closed`)
    waiting = whenReadable(on)
    try {
      await waiting.ready
    } finally {
      waiting = undefined
    }
  }

  const accept = async (): Promise<number> => {
    for (;;) {
      await wait(fd)
      const conn = accept4Fn()(fd, null, null, SOCK_CLOEXEC | SOCK_NONBLOCK)
      if (conn >= 0) return conn
      const e = errno()
      if (e !== EAGAIN && e !== EINTR) throw syscallError('accept4', e, path)
    }
  }

  const receiveOn = async (conn: number): Promise<ReceivedFd> => {
    const data = Buffer.alloc(4096)
    const control = Buffer.alloc(cmsgSpace(4 * 16))
    for (;;) {
      await wait(conn)
      const msg: MsgHdr = {
        msg_name: null,
        msg_namelen: 0,
        msg_iov: [{ iov_base: data, iov_len: data.length }],
        msg_iovlen: 1,
        msg_control: control,
        msg_controllen: control.length,
        msg_flags: 0,
      }
      const n = recvmsgFn()(conn, msg, MSG_CMSG_CLOEXEC)
      if (n < 0) {
        const e = errno()
        if (e === EAGAIN || e === EINTR) continue
        throw syscallError('recvmsg', e, path)
      }
      const fds = parseRights(control, msg.msg_controllen)
      if (msg.msg_flags & MSG_CTRUNC) {
        fds.forEach(f => closeSync(f))
        throw new Error(`recvmsg ${path}: control data truncated`)
      }
      if (fds.length === 0) {
        if (n === 0) throw new Error(`${path}: the peer closed the connection without sending a file descriptor`)
        continue // plain data before the fd: keep reading
      }
      fds.slice(1).forEach(f => closeSync(f))
      return { fd: fds[0]!, name: data.subarray(0, n).toString('utf8').replace(/\0+$/, '') }
    }
  }

  return {
    path,
    async receive() {
      if (busy) throw new Error(`fd listener ${path}: receive() is already pending`)
      busy = true
      try {
        const conn = await accept()
        try {
          return await receiveOn(conn)
        } finally {
          closeSync(conn)
        }
      } finally {
        busy = false
      }
    },
    close() {
      if (closed) return
      closed = true
      waiting?.cancel(new Error(`fd listener ${path} was closed`))
      shutdownFn()(fd, SHUT_RDWR)
      closeSync(fd)
      try {
        unlinkSync(path)
      } catch {
        // already removed
      }
    },
  }
}

function parseRights(control: Buffer, length: number): number[] {
  const fds: number[] = []
  for (let off = 0; off + CMSG_HDR <= length; ) {
    const len = readU64(control, off)
    if (len < CMSG_HDR) break
    if (readI32(control, off + 8) === SOL_SOCKET && readI32(control, off + 12) === SCM_RIGHTS) {
      for (let p = off + CMSG_HDR; p + 4 <= off + len; p += 4) fds.push(readI32(control, p))
    }
    off += cmsgSpace(len - CMSG_HDR)
  }
  return fds
}

/** Connect to the unix socket at `path` and send `fd` with `name` as payload (what runc does). */
export function sendFd(path: string, fd: number, name = ''): void {
  const sock = newSocket(0)
  try {
    withSockaddr(path, addr => {
      while (connectFn()(sock, addr, addr.length) !== 0) {
        const e = errno()
        if (e !== EINTR) throw syscallError('connect', e, path)
      }
    })
    // A stream socket carries ancillary data only along with at least one byte.
    const payload = Buffer.from(name || '\0')
    const control = Buffer.alloc(cmsgSpace(4))
    if (LE) {
      control.writeBigUInt64LE(BigInt(CMSG_HDR + 4), 0)
      control.writeInt32LE(SOL_SOCKET, 8)
      control.writeInt32LE(SCM_RIGHTS, 12)
      control.writeInt32LE(fd, 16)
    } else {
      control.writeBigUInt64BE(BigInt(CMSG_HDR + 4), 0)
      control.writeInt32BE(SOL_SOCKET, 8)
      control.writeInt32BE(SCM_RIGHTS, 12)
      control.writeInt32BE(fd, 16)
    }
    const msg: MsgHdr = {
      msg_name: null,
      msg_namelen: 0,
      msg_iov: [{ iov_base: payload, iov_len: payload.length }],
      msg_iovlen: 1,
      msg_control: control,
      msg_controllen: control.length,
      msg_flags: 0,
    }
    for (;;) {
      if (sendmsgFn()(sock, msg, 0) >= 0) break
      const e = errno()
      if (e !== EINTR) throw syscallError('sendmsg', e, path)
    }
  } finally {
    closeSync(sock)
  }
}
