#!/usr/bin/env node
// Listings with --format, tspod against podman (runc, overlay, the same
// images from the same loopback registry): `ps -a --format` over 100
// containers (made with `create`) and `images --format` over 50 image rows
// (busybox and the layers fixture, 25 names each), interleaved rounds,
// medians and ratio. Issue 9's goal: tspod's median below podman's, i.e.
// the template engine does not slow listings down.
//
//   node bench/listing.mjs [--rounds N] [--containers N] [--images N]
//
// Run it as an unprivileged user after `npm run build`, on an idle machine.
import { benchEnvironment, interleave, printTable, timeCommand } from './lib/compare.mjs'
import { numberOption } from './lib/options.mjs'

const rounds = numberOption('--rounds', 20)
const containers = numberOption('--containers', 100)
const imageRows = numberOption('--images', 50)

const env = await benchEnvironment(['busybox', 'layers'])
try {
  const { images, tspod, podman: pod } = env
  const engines = [tspod, pod]
  const each = argv => Promise.all(engines.map(e => timeCommand([...e, ...argv])))

  process.stderr.write(`setting up: ${imageRows} image names, ${containers} containers in each engine\n`)
  for (const image of images) await each(['pull', '-q', image])
  for (let i = 0; i < imageRows - images.length; i++) await each(['tag', images[i % images.length], `localhost/bench-${i}:v${i}`])
  for (let i = 0; i < containers; i++) {
    await each(['create', '--network', 'none', '--name', `bench-${i}`, '--label', `n=${i}`, images[i % images.length], 'sleep', '1'])
  }

  const psFormat = ['ps', '-a', '--format', '{{.ID}} {{.Names}} {{.Status}} {{.Image}} {{.Labels}} {{.CreatedAt}}']
  const imagesFormat = ['images', '--format', '{{.ID}} {{.Repository}}:{{.Tag}} {{.Size}} {{.Created}} {{.Digest}}']
  const tablePs = ['ps', '-a', '--format', 'table {{.ID}} {{.Names}} {{.Status}} {{.RunningFor}}']

  const results = []
  for (const [title, argv] of [
    [`ps -a --format (${containers} containers)`, psFormat],
    [`ps -a --format table (${containers} containers)`, tablePs],
    [`images --format (${imageRows} rows)`, imagesFormat],
  ]) {
    const result = await interleave(
      [
        { name: 'podman', run: () => timeCommand([...pod, ...argv]) },
        { name: 'tspod', run: () => timeCommand([...tspod, ...argv]) },
      ],
      { rounds, warmup: 2 },
    )
    printTable(`${title} — ${rounds} interleaved rounds`, result)
    results.push([title, result.rows[1].ratio])
  }
  console.log('')
  for (const [title, ratio] of results) console.log(`tspod/podman median ratio, ${title}: ${ratio.toFixed(2)} (goal < 1.00)`)
} finally {
  await env.host.run()
}
