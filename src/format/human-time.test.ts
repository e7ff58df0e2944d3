import t from 'tap'
import { GoTime } from './template/gotime.js'
import { containerStatus, humanDuration, secondsAgo, timeAgo } from './human-time.js'

// docker/go-units HumanDuration: [milliseconds, text]
const cases: [number, string][] = [
  [-5000,"Less than a second"],
  [0,"Less than a second"],
  [500,"Less than a second"],
  [999,"Less than a second"],
  [1000,"1 second"],
  [1999,"1 second"],
  [2000,"2 seconds"],
  [59999,"59 seconds"],
  [60000,"About a minute"],
  [119999,"About a minute"],
  [120000,"2 minutes"],
  [3599999,"59 minutes"],
  [3600000,"About an hour"],
  [5399999,"About an hour"],
  [5400000,"2 hours"],
  [172799999,"2 days"],
  [172800000,"2 days"],
  [1209599999,"2 weeks"],
  [1209600000,"2 weeks"],
  [5183999999,"2 months"],
  [5184000000,"2 months"],
  [34560000000,"13 months"],
  [63071999999,"1 years"],
  [63072000000,"2 years"],
  [69120000000,"2 years"],
  [315360000000,"10 years"],
  [10800000,"3 hours"],
  [170999999,"47 hours"],
]

t.test('matches go-units HumanDuration', async t => {
  for (const [ms, text] of cases) t.equal(humanDuration(ms), text, `${ms} ms`)
})

const now = Date.UTC(2024, 0, 10, 12, 0, 0, 0)

t.test('"… ago"', async t => {
  t.equal(timeAgo(now - 5 * 60_000, now), '5 minutes ago')
  t.equal(timeAgo(new Date(now - 300), now), 'Less than a second ago')
  t.equal(timeAgo(GoTime.fromDate(now - 3 * 86_400_000), now), '3 days ago')
  // image Created is whole seconds: 1.5 s before now counts from the second before
  t.equal(secondsAgo(now - 1500, now), '2 seconds ago')
})

t.test('podman ps STATUS', async t => {
  t.equal(containerStatus({ state: 'running', startedAt: now - 3000 }, now), 'Up 3 seconds')
  t.equal(containerStatus({ state: 'running', startedAt: now - 3600_000, health: 'healthy' }, now), 'Up About an hour (healthy)')
  t.equal(containerStatus({ state: 'exited', exitedAt: now - 2000, exitCode: 7 }, now), 'Exited (7) 2 seconds ago')
  t.equal(containerStatus({ state: 'stopped', exitedAt: now - 120_000 }, now), 'Exited (0) 2 minutes ago')
  t.equal(containerStatus({ state: 'created' }, now), 'Created')
  t.equal(containerStatus({ state: 'paused' }, now), 'Paused')
  t.equal(containerStatus({ state: 'running', startedAt: now }, now), 'Up Less than a second')
  // StartedAt is kept in whole seconds: 400 ms into the previous second is a second ago
  t.equal(containerStatus({ state: 'running', startedAt: now - 400 }, now), 'Up 1 second')
})
