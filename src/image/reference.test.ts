import t from 'tap'
import {
  ImageReference,
  parseDockerReference,
  parseNormalizedReference,
  parseRawReference,
  parseShortName,
} from './reference.js'

const D = 'sha256:' + 'ab'.repeat(32)

const invalid = (message: string | RegExp) => ({ code: 'invalid-argument', message })

t.test('Docker normalisation', async t => {
  const cases: [string, string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['user/app', 'docker.io/user/app:latest', 'user/app:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['index.docker.io/user/app:v1', 'docker.io/user/app:v1', 'user/app:v1'],
    ['docker.io/library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['a/b/c', 'docker.io/a/b/c:latest', 'a/b/c:latest'],
    ['localhost/x', 'localhost/x:latest', 'localhost/x:latest'],
    ['localhost:5000/x/y:t', 'localhost:5000/x/y:t', 'localhost:5000/x/y:t'],
    ['127.0.0.1:5000/app:tag', '127.0.0.1:5000/app:tag', '127.0.0.1:5000/app:tag'],
    ['quay.io/podman/stable', 'quay.io/podman/stable:latest', 'quay.io/podman/stable:latest'],
    ['[::1]:5000/app', '[::1]:5000/app:latest', '[::1]:5000/app:latest'],
    ['Example.COM/app', 'Example.COM/app:latest', 'Example.COM/app:latest'],
    ['a_b__c-d---e/x', 'docker.io/a_b__c-d---e/x:latest', 'a_b__c-d---e/x:latest'],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`, `busybox@${D}`],
    [`busybox:1.36@${D}`, `docker.io/library/busybox:1.36@${D}`, `busybox:1.36@${D}`],
    [`host:1/r:t@${D}`, `host:1/r:t@${D}`, `host:1/r:t@${D}`],
  ]
  for (const [input, full, familiar] of cases) {
    const ref = parseDockerReference(input)
    t.equal(ref.toString(), full, `${input} → ${full}`)
    t.equal(ref.familiar(), familiar, `${input} familiar`)
    t.equal(parseDockerReference(ref.toString()).toString(), full, `${full} is a fixed point`)
  }
})

t.test('parts and manifest reference', async t => {
  const r = parseDockerReference('localhost:5000/ns/app:v2')
  t.equal(r.domain, 'localhost:5000')
  t.equal(r.path, 'ns/app')
  t.equal(r.name, 'localhost:5000/ns/app')
  t.equal(r.tag, 'v2')
  t.equal(r.digest, undefined)
  t.equal(r.manifestReference, 'v2')
  const both = parseDockerReference(`x.io/app:v2@${D}`)
  t.equal(both.manifestReference, D, 'a digest wins over the tag')
  t.equal(parseNormalizedReference('busybox').tag, undefined, 'no default tag without asking')
  t.equal(parseNormalizedReference('busybox').manifestReference, 'latest')
  t.equal(r.nameOnly().toString(), 'localhost:5000/ns/app')
  t.equal(r.withDigest(D as `sha256:${string}`).toString(), `localhost:5000/ns/app:v2@${D}`)
  t.equal(r.withTag('v3').toString(), 'localhost:5000/ns/app:v3')
  t.ok(r.equals(parseDockerReference('localhost:5000/ns/app:v2')))
  t.notOk(r.equals(r.withTag('v3')))
  t.equal(ImageReference.of('docker.io', 'library/x').familiar(), 'x')
  t.equal(ImageReference.of('docker.io', 'a/b/c').familiar(), 'a/b/c')
  t.throws(() => r.withTag('bad tag'), invalid('invalid tag format'), 'bad tag')
  t.throws(() => ImageReference.of('bad domain', 'x'), invalid(/invalid registry domain/), 'bad domain')
  t.throws(() => ImageReference.of('x.io', 'UP'), invalid('invalid reference format'), 'bad path')
})

t.test('invalid input', async t => {
  t.throws(() => parseDockerReference('Busybox'), invalid('repository name must be lowercase'), 'uppercase short')
  t.throws(() => parseDockerReference('quay.io/Foo/bar'), invalid('repository name must be lowercase'), 'uppercase path')
  t.throws(() => parseDockerReference('a:b:c'), invalid('invalid reference format'), 'two colons')
  t.throws(() => parseDockerReference(''), invalid('invalid reference format'), 'empty')
  t.throws(() => parseRawReference(''), invalid('repository name must have at least one component'), 'empty raw')
  t.throws(() => parseDockerReference('busybox:'), invalid('invalid reference format'), 'empty tag')
  t.throws(() => parseDockerReference('-x'), invalid('invalid reference format'), 'leading dash')
  t.throws(() => parseDockerReference('x//y'), invalid('invalid reference format'), 'empty component')
  t.throws(() => parseDockerReference('x/'), invalid('invalid reference format'), 'trailing slash')
  t.throws(() => parseDockerReference('a_b.c/x'), invalid('invalid reference format'), 'registry-like first component that is no domain')
  t.throws(() => parseDockerReference('x..y/z'), invalid('invalid reference format'), 'double dot')
  t.throws(() => parseDockerReference('x:' + 't'.repeat(129)), invalid('invalid reference format'), 'tag too long')
  t.throws(() => parseDockerReference('ab'.repeat(32)), invalid(/cannot specify 64-byte hexadecimal strings/), 'bare id')
  t.throws(() => parseDockerReference('x.io/' + 'a'.repeat(260)), invalid(/must not be more than 255 characters/), 'too long')
  t.throws(() => parseDockerReference('x@sha256:abc'), invalid('invalid reference format'), 'short digest')
  t.throws(() => parseDockerReference('x@md5:' + 'a'.repeat(32)), invalid(/unsupported digest algorithm/), 'md5')
  t.throws(() => parseDockerReference('x@sha256:' + 'a'.repeat(63)), invalid(/invalid checksum digest length/), 'sha256/63')
  t.throws(() => parseDockerReference('x@sha256:' + 'A'.repeat(64)), invalid(/invalid checksum digest format/), 'uppercase hex')
  t.throws(() => parseDockerReference('x'.repeat(2000)), invalid('invalid reference format'), 'huge input')
  // A pathological input for a backtracking regex must still answer at once.
  t.throws(() => parseDockerReference('a'.repeat(200) + '-'.repeat(200) + '!'), invalid('invalid reference format'), 'no backtracking blowup')
})

t.test('raw grammar keeps an unqualified first component', async t => {
  t.same(parseRawReference('user/app:1'), { domain: 'user', path: 'app', tag: '1', digest: undefined })
  t.same(parseRawReference('app'), { domain: undefined, path: 'app', tag: undefined, digest: undefined })
  t.same(parseRawReference('localhost:5000'), { domain: undefined, path: 'localhost', tag: '5000', digest: undefined })
})

t.test('short names (podman rules)', async t => {
  t.same(parseShortName('busybox'), { name: 'busybox', tag: undefined, digest: undefined })
  t.same(parseShortName('library/busybox:1'), { name: 'library/busybox', tag: '1', digest: undefined })
  t.same(parseShortName(`app@${D}`), { name: 'app', tag: undefined, digest: D })
  t.same(parseShortName('a/b/c:t'), { name: 'a/b/c', tag: 't', digest: undefined })
  t.equal(parseShortName('docker.io/busybox'), undefined, 'docker.io is a registry')
  t.equal(parseShortName('localhost/x'), undefined)
  t.equal(parseShortName('host:5000/x'), undefined)
  t.equal(parseShortName('quay.io/x/y:1'), undefined)
  t.throws(() => parseShortName('Foo/bar'), invalid('repository name must be lowercase'), 'uppercase short')
  t.throws(() => parseShortName('quay.io/Foo'), invalid('repository name must be lowercase'), 'uppercase qualified')
  t.throws(() => parseShortName('a:b:c'), invalid('invalid reference format'), 'invalid')
})
