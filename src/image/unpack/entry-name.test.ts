import t from 'tap'
import { entryComponents, whiteoutKind } from './entry-name.js'

t.test('names are cleaned lexically, rooted at the layer', async t => {
  t.same(entryComponents('etc/passwd'), ['etc', 'passwd'])
  t.same(entryComponents('./etc/./passwd'), ['etc', 'passwd'])
  t.same(entryComponents('/abs/path'), ['abs', 'path'], 'absolute names are inside the root')
  t.same(entryComponents('//double//slash/'), ['double', 'slash'])
  t.same(entryComponents('a/../b'), ['b'], '`..` that stays inside is cleaned')
  t.same(entryComponents('a/b/../../c'), ['c'])
  t.same(entryComponents('./'), [], 'the root itself')
  t.same(entryComponents(''), [])
  t.same(entryComponents('..a/b..'), ['..a', 'b..'], 'only a whole `..` component climbs')
})

t.test('climbing above the root refuses the layer', async t => {
  for (const name of ['..', '../escaped', 'a/../../x', '/../x', './a/b/../../../x']) {
    t.throws(() => entryComponents(name), { code: 'permission-denied', message: `entry "${name}"` }, name)
  }
  t.throws(
    () => entryComponents('../../outside', 'hardlink'),
    { code: 'permission-denied', message: /entry "hardlink": "\.\.\/\.\.\/outside" is outside the layer root/ },
    'a hard-link target names the entry that carries it',
  )
})

t.test('NUL in a name is malformed', async t => {
  t.throws(() => entryComponents('a\0b'), { code: 'data-loss' })
})

t.test('whiteout names', async t => {
  t.same(whiteoutKind('passwd'), { kind: 'none' })
  t.same(whiteoutKind('.wh.passwd'), { kind: 'file', name: 'passwd' })
  t.same(whiteoutKind('.wh..hidden'), { kind: 'file', name: '.hidden' })
  t.same(whiteoutKind('.wh..wh..opq'), { kind: 'opaque' })
  t.same(whiteoutKind('.wh..wh.plnk'), { kind: 'meta' })
  t.same(whiteoutKind('.wh..wh.aufs'), { kind: 'meta' })
  t.same(whiteoutKind('x.wh.y'), { kind: 'none' })
})
