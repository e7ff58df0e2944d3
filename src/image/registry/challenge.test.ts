import t from 'tap'
import { parseChallenges } from './challenge.js'

t.test('bearer and basic', async t => {
  t.same(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } },
  ])
  t.same(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }])
  t.same(parseChallenges(undefined), [])
  t.same(parseChallenges(''), [])
})

t.test('case, spacing, tokens, escapes', async t => {
  t.same(parseChallenges('BEARER  Realm = "r" , Service=svc,  error="invalid_token"'), [
    { scheme: 'bearer', params: { realm: 'r', service: 'svc', error: 'invalid_token' } },
  ])
  t.same(parseChallenges('Bearer realm="a,b",scope="repository:x:pull,push"'), [{ scheme: 'bearer', params: { realm: 'a,b', scope: 'repository:x:pull,push' } }], 'commas inside quotes')
  t.same(parseChallenges('Basic realm="say \\"hi\\""'), [{ scheme: 'basic', params: { realm: 'say "hi"' } }], 'backslash escapes')
})

t.test('several challenges in one header or several headers', async t => {
  t.same(parseChallenges('Basic realm="b", Bearer realm="t",service="s"'), [
    { scheme: 'basic', params: { realm: 'b' } },
    { scheme: 'bearer', params: { realm: 't', service: 's' } },
  ])
  t.same(parseChallenges(['Negotiate', 'Bearer realm="t"']), [
    { scheme: 'negotiate', params: {} },
    { scheme: 'bearer', params: { realm: 't' } },
  ])
  t.same(parseChallenges('Negotiate abc==, Bearer realm="t"'), [
    { scheme: 'negotiate', params: {} },
    { scheme: 'bearer', params: { realm: 't' } },
  ], 'token68 credentials are skipped')
})

t.test('malformed input does not throw', async t => {
  t.same(parseChallenges('realm="orphan"'), [], 'parameters before a scheme')
  t.same(parseChallenges('Bearer realm="unterminated'), [{ scheme: 'bearer', params: {} }])
  t.same(parseChallenges('Bearer realm=, Basic realm="x"'), [
    { scheme: 'bearer', params: {} },
    { scheme: 'basic', params: { realm: 'x' } },
  ])
  t.same(parseChallenges('@@@, Basic realm="x"'), [{ scheme: 'basic', params: { realm: 'x' } }])
})
