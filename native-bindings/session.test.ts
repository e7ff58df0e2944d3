import t from 'tap'
import { execa } from 'execa'
import { nodeWithTs } from '../src/rootless/testing.js'

t.test('setsid makes a new session led by the caller; twice is EPERM', async t => {
  const session = new URL('./session.ts', import.meta.url).pathname
  const [node, ...args] = nodeWithTs(
    `const { setsid } = await import(${JSON.stringify(session)});` +
      `const sid = setsid();` +
      `const stat = (await import('node:fs')).readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');` +
      `let again; try { setsid() } catch (e) { again = e.code }` +
      `console.log(JSON.stringify({ sid, pid: process.pid, procSid: Number(stat[3]), again }))`,
  )
  const r = await execa(node!, args)
  const out = JSON.parse(r.stdout)
  t.equal(out.sid, out.pid)
  t.equal(out.procSid, out.pid, 'the kernel agrees')
  t.equal(out.again, 'EPERM', 'a session leader cannot start another session')
})
