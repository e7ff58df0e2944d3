/**
 * The unpack worker (dist/unpack-worker.mjs), run inside tspod's user
 * namespace so layer files can belong to any mapped id. It listens on the
 * unix socket named in argv and prints one line when ready. Each connection
 * carries one request line (UnpackRequest); for `unpack`, more lines follow:
 * the blob file's size on disk as it grows (`N`), its new path once the
 * download is committed (`moved PATH`), or `abort REASON`. The
 * answer is one JSON line. The worker exits when its stdin closes.
 */
import { createServer, type Socket } from 'node:net'
import { rm } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { TspodError } from '../../engine/errors.js'
import { unpackLayer } from './unpack.js'
import { GrowingFile } from './growing-file.js'
import type { UnpackRequest, UnpackResponse } from '../../engine/images/unpacker.js'

const socketPath = process.argv[2]!

function handle(socket: Socket): void {
  const answer = (res: UnpackResponse) => socket.end(JSON.stringify(res) + '\n')
  const fail = (err: unknown) =>
    answer({ ok: false, code: err instanceof TspodError ? err.code : 'internal', message: err instanceof Error ? err.message : String(err) })
  let file: GrowingFile | undefined
  const lines = createInterface({ input: socket })
  lines.on('line', line => {
    if (file) {
      if (line.startsWith('abort')) file.fail(new TspodError('unavailable', line.slice(6) || 'download aborted'))
      else if (line.startsWith('moved ')) file.moved(line.slice(6))
      else file.grow(Number(line))
      return
    }
    let req: UnpackRequest
    try {
      req = JSON.parse(line) as UnpackRequest
    } catch (err) {
      return fail(err)
    }
    if (req.op === 'remove') {
      Promise.all(req.paths.map(p => rm(p, { recursive: true, force: true }))).then(() => answer({ ok: true }), fail)
      return
    }
    file = new GrowingFile(req.path, req.total)
    unpackLayer(file.stream(), req.dest, { mediaType: req.mediaType }).then(result => answer({ ok: true, ...result }), fail)
  })
  // The downloader went away mid-file: nothing more will come.
  lines.on('close', () => file?.fail(new TspodError('unavailable', 'the download stopped')))
  socket.on('error', () => file?.fail(new TspodError('unavailable', 'the download stopped')))
}

const server = createServer({ allowHalfOpen: true }, handle)
server.listen(socketPath, () => process.stdout.write('ready\n'))
process.stdin.resume()
process.stdin.on('end', () => {
  server.close()
  void rm(socketPath, { force: true }).then(() => process.exit(0))
})
