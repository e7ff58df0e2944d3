import t from 'tap'
import { PODMAN_TABWRITER, TabWriter } from './tabwriter.js'

// Go text/tabwriter.NewWriter(w, 12, 2, 2, ' ', tabwriter.StripEscape), as podman uses it.
const cases: [string, string][] = [
  ["ID\tNAME\tIMAGE\nabc\tweb\tnginx\n0123456789ab\tdb\tdocker.io/library/postgres:latest\n","ID            NAME        IMAGE\nabc           web         nginx\n0123456789ab  db          docker.io/library/postgres:latest\n"],
  ["a\tb\nno tabs here\nccc\td\n","a           b\nno tabs here\nccc         d\n"],
  ["x\ty\tz\nlonger text\tq\n\tempty first\n","x            y           z\nlonger text  q\n             empty first\n"],
  ["héllo\twörld\n✓\tx\n","héllo       wörld\n✓           x\n"],
  ["trailing\tcell\tlast","trailing    cell        last"],
  ["a\t\tb\n\t\t\n","a                       b\n                        \n"],
  ["one\n","one\n"],
  ["",""],
  ["A\tB\nvery very very long cell\tb\n\nC\tD\n","A                         B\nvery very very long cell  b\n\nC           D\n"],
]

t.test('matches Go text/tabwriter with podman settings', async t => {
  for (const [input, output] of cases) {
    const w = new TabWriter(PODMAN_TABWRITER)
    w.write(input)
    t.equal(w.flush(), output, JSON.stringify(input))
  }
})

t.test('input may arrive in pieces', async t => {
  const [input, output] = cases[0]!
  const w = new TabWriter()
  for (const ch of input) w.write(ch)
  t.equal(w.flush(), output)
  t.equal(w.flush(), '', 'flush empties the writer')
})

t.test('tab padding', async t => {
  const w = new TabWriter({ minwidth: 0, tabwidth: 8, padding: 1, padchar: '\t' })
  w.write('a\tb\nlonger text\tc\n')
  t.equal(w.flush(), 'a\t\tb\nlonger text\tc\n')
})
