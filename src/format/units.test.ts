import t from 'tap'
import { bytesSize, containerSize, humanSize, humanSizeWithPrecision, imageSize } from './units.js'

// docker/go-units (as vendored by podman): [size, HumanSizeWithPrecision(size, 3), HumanSize, BytesSize]
const cases: [number, string, string, string][] = [
  [0,"0B","0B","0B"],
  [1,"1B","1B","1B"],
  [999,"999B","999B","999B"],
  [1000,"1kB","1kB","1000B"],
  [1023,"1.02kB","1.023kB","1023B"],
  [1024,"1.02kB","1.024kB","1KiB"],
  [1234,"1.23kB","1.234kB","1.205KiB"],
  [4260000,"4.26MB","4.26MB","4.063MiB"],
  [999499,"999kB","999.5kB","976.1KiB"],
  [999500,"1e+03kB","999.5kB","976.1KiB"],
  [999999,"1e+03kB","1000kB","976.6KiB"],
  [1000000,"1MB","1MB","976.6KiB"],
  [1500000000,"1.5GB","1.5GB","1.397GiB"],
  [123456789012,"123GB","123.5GB","115GiB"],
  [1000000000000000000,"1EB","1EB","888.2PiB"],
  [1e+24,"1YB","1YB","847ZiB"],
  [1e+27,"1e+03YB","1000YB","827.2YiB"],
  [5e+28,"5e+04YB","5e+04YB","4.136e+04YiB"],
  [10240,"10.2kB","10.24kB","10KiB"],
  [1048576,"1.05MB","1.049MB","1MiB"],
  [1073741824,"1.07GB","1.074GB","1GiB"],
  [12.5,"12.5B","12.5B","12.5B"],
]

t.test('matches go-units', async t => {
  for (const [size, p3, human, bytes] of cases) {
    t.equal(humanSizeWithPrecision(size, 3), p3, `HumanSizeWithPrecision(${size}, 3)`)
    t.equal(humanSize(size), human, `HumanSize(${size})`)
    t.equal(bytesSize(size), bytes, `BytesSize(${size})`)
  }
})

t.test('podman columns', async t => {
  // podman images: a space before the unit (podman 4.3.1 prints "1.99 MB")
  t.equal(imageSize(1991234), '1.99 MB')
  t.equal(imageSize(4260000), '4.26 MB')
  t.equal(imageSize(999), '999 B')
  t.equal(imageSize(999999), '1e+03 kB')
  // podman ps --size
  t.equal(containerSize(1024, 4260000), '1.02kB (virtual 4.26MB)')
})
