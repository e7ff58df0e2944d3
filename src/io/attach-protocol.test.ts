import t from 'tap'
import {
  AttachProtocolError, createClientMessageDecoder, createServerFrameDecoder, encodeClientFrame, encodeHello, encodeServerFrame,
  FRAME_TYPES, MAX_FRAME_PAYLOAD, MAX_HELLO, type ClientFrame, type ClientMessage, type ServerFrame,
} from './attach-protocol.js'
import { rng } from './testing.js'

function randomBytes(rand: (n: number) => number, n: number): Buffer {
  const b = Buffer.alloc(n)
  for (let i = 0; i < n; i++) b[i] = rand(256)
  return b
}

/** Splits a byte stream at random points, including empty chunks. */
function randomChunks(rand: (n: number) => number, stream: Buffer): Buffer[] {
  const out: Buffer[] = []
  let pos = 0
  while (pos < stream.length) {
    const size = rand(4) === 0 ? rand(3) : rand(4) === 0 ? rand(70_000) : rand(40)
    out.push(stream.subarray(pos, pos + size))
    pos += size
  }
  return out
}

const normalize = (frames: (ServerFrame | ClientMessage)[]) =>
  frames.map(f => ('data' in f ? { type: f.type, data: f.data.toString('base64') } : f))

t.test('server frames survive random chunking', async t => {
  for (let seed = 1; seed <= 30; seed++) {
    const rand = rng(seed)
    const frames: ServerFrame[] = []
    for (let i = 0; i < 40; i++) {
      const k = rand(10)
      if (k < 4) frames.push({ type: 'stdout', data: randomBytes(rand, rand(3000)) })
      else if (k < 8) frames.push({ type: 'stderr', data: randomBytes(rand, rand(50)) })
      else frames.push({ type: 'exit', exit: rand(2) ? { exitCode: rand(256) } : { error: `boom ${rand(100)} "quoted" ünïcode` } })
    }
    if (seed === 1) frames.push({ type: 'stdout', data: randomBytes(rand, MAX_FRAME_PAYLOAD * 2 + 17) })
    const stream = Buffer.concat(frames.flatMap(f => encodeServerFrame(f)))
    const decoder = createServerFrameDecoder()
    const got: ServerFrame[] = []
    for (const c of randomChunks(rand, stream)) got.push(...decoder.push(c))
    t.ok(decoder.idle, `seed ${seed}: nothing left over`)
    // Big payloads arrive as several frames: compare the data per stream, in order.
    const merge = (fs: ServerFrame[]) => {
      const out: ServerFrame[] = []
      for (const f of fs) {
        const last = out.at(-1)
        if (last && last.type === f.type && 'data' in last && 'data' in f) out[out.length - 1] = { type: f.type, data: Buffer.concat([last.data, f.data]) }
        else out.push(f)
      }
      return out.filter(f => !('data' in f) || f.data.length > 0)
    }
    t.same(normalize(merge(got)), normalize(merge(frames)), `seed ${seed}`)
  }
})

t.test('hello plus client frames survive random chunking', async t => {
  for (let seed = 1; seed <= 30; seed++) {
    const rand = rng(seed * 31)
    const hello = { stdin: !!rand(2), stdout: !!rand(2), stderr: !!rand(2), replay: !!rand(2) }
    const frames: ClientFrame[] = []
    for (let i = 0; i < 40; i++) {
      const k = rand(8)
      if (k < 4) frames.push({ type: 'stdin', data: randomBytes(rand, 1 + rand(2000)) })
      else if (k === 4) frames.push({ type: 'stdin-eof' })
      else if (k === 5) frames.push({ type: 'resize', size: { rows: rand(500), cols: rand(500) } })
      else frames.push({ type: 'signal', signal: ['SIGTERM', 'SIGINT', 'SIGRTMIN+3', 'SIGUSR1'][rand(4)]! })
    }
    const stream = Buffer.concat([encodeHello(hello), ...frames.flatMap(f => encodeClientFrame(f))])
    const decoder = createClientMessageDecoder()
    const got: ClientMessage[] = []
    for (const c of randomChunks(rand, stream)) got.push(...decoder.push(c))
    t.same(normalize(got), normalize([{ type: 'hello', hello }, ...frames]), `seed ${seed}`)
    t.ok(decoder.idle)
  }
})

t.test('the wire format is [type:u8][len:u32be][payload] after a JSON hello line', async t => {
  t.equal(encodeHello({ stdin: true, stdout: true, stderr: false, replay: true }).toString(), '{"stdin":true,"stdout":true,"stderr":false,"replay":true}\n')
  t.same([...Buffer.concat(encodeServerFrame({ type: 'stderr', data: Buffer.from('hi') }))], [2, 0, 0, 0, 2, 0x68, 0x69])
  t.equal(Buffer.concat(encodeServerFrame({ type: 'exit', exit: { exitCode: 3 } })).subarray(5).toString(), '{"exitCode":3}')
  t.equal(Buffer.concat(encodeClientFrame({ type: 'resize', size: { rows: 24, cols: 80 } })).subarray(5).toString(), '{"rows":24,"cols":80}')
  t.equal(Buffer.concat(encodeClientFrame({ type: 'signal', signal: 'SIGTERM' })).subarray(5).toString(), '{"signal":"SIGTERM"}')
  t.same([...Buffer.concat(encodeClientFrame({ type: 'stdin-eof' }))], [0x11, 0, 0, 0, 0])
  // Missing hello fields default to false.
  t.same(createClientMessageDecoder().push(Buffer.from('{"stdout":true}\n')), [{ type: 'hello', hello: { stdin: false, stdout: true, stderr: false, replay: false } }])
})

t.test('garbage is rejected with a clear error, and the decoder stays failed', async t => {
  const header = (type: number, len: number) => {
    const b = Buffer.alloc(5)
    b[0] = type
    b.writeUInt32BE(len, 1)
    return b
  }
  const clientCases: [string, Buffer, RegExp][] = [
    ['unknown type', Buffer.concat([Buffer.from('{}\n'), header(0x42, 0)]), /unknown frame type 0x42/],
    ['server type sent by a client', Buffer.concat([Buffer.from('{}\n'), header(FRAME_TYPES.stdout, 1), Buffer.from('x')]), /unknown frame type 0x01/],
    ['oversized', Buffer.concat([Buffer.from('{}\n'), header(FRAME_TYPES.stdin, 0xffffffff)]), /exceeds the 1048576-byte limit/],
    ['hello not JSON', Buffer.from('hello there\n'), /hello is not valid JSON/],
    ['hello not an object', Buffer.from('[true]\n'), /hello is not a JSON object/],
    ['hello bad field', Buffer.from('{"stdin":"yes"}\n'), /"stdin" must be a boolean/],
    ['hello too long', Buffer.alloc(MAX_HELLO + 1, 0x20), /hello line longer than 4096 bytes/],
    ['bad resize', Buffer.concat([Buffer.from('{}\n'), header(FRAME_TYPES.resize, 21), Buffer.from('{"rows":-1,"cols":80}')]), /resize frame needs/],
    ['bad signal', Buffer.concat([Buffer.from('{}\n'), header(FRAME_TYPES.signal, 16), Buffer.from('{"signal":"rm"} ')]), /signal frame needs/],
    ['stdin EOF with payload', Buffer.concat([Buffer.from('{}\n'), header(FRAME_TYPES['stdin-eof'], 1), Buffer.from('x')]), /must be empty/],
  ]
  for (const [name, bytes, message] of clientCases) {
    const d = createClientMessageDecoder()
    const err = (() => {
      try {
        d.push(bytes)
      } catch (e) {
        return e
      }
    })()
    t.ok(err instanceof AttachProtocolError, name)
    t.equal((err as AttachProtocolError).code, 'data-loss', name)
    t.match((err as Error).message, message, name)
    t.throws(() => d.push(Buffer.from('{}\n')), message, `${name}: later input fails the same way`)
  }
  const s = createServerFrameDecoder()
  t.throws(() => s.push(header(FRAME_TYPES.stdin, 0)), /unknown frame type 0x10/)
  t.throws(() => createServerFrameDecoder().push(Buffer.concat([header(FRAME_TYPES.exit, 2), Buffer.from('{}')])), /exit frame needs/)
})
