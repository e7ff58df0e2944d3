/**
 * Recursive-descent parser for Go text/template, following the grammar and
 * the error messages of text/template/parse (Go 1.19+, with break/continue).
 */
import type {
  ArgNode, ChainNode, CommandNode, ElseNode, EndNode, ListNode, Node, NumberNode, PipeNode, TemplateNode,
  VariableNode,
} from './ast.js'
import { nodeString } from './ast.js'
import { type Item, T, itemString, lex } from './lexer.js'
import { parseNumber } from './number.js'
import { goQuote, goUnquote } from './quote.js'

export interface Tree {
  name: string
  /** Name of the top-level template being parsed; error locations use it. */
  parseName: string
  root: ListNode
  text: string
}

export class TemplateParseError extends Error {}

type Closer = EndNode | ElseNode

export function parseTemplates(name: string, text: string, hasFunction: (name: string) => boolean): Map<string, Tree> {
  const trees = new Map<string, Tree>()
  const items = lex(text, !hasFunction('break'), !hasFunction('continue'))
  const p = new Parser(name, text, items, hasFunction, trees)
  p.parseTop()
  return trees
}

function isEmptyTree(n: Node): boolean {
  switch (n.type) {
    case 'comment': return true
    case 'list': return n.nodes.every(isEmptyTree)
    case 'text': return n.text.trim() === ''
    default: return false
  }
}

class Parser {
  private i = 0
  private lexed = 0
  private vars: string[] = ['$']
  private rangeDepth = 0
  private actionLine = 0
  private tree: Tree

  constructor(
    private readonly name: string,
    private readonly text: string,
    private readonly items: Item[],
    private readonly hasFunction: (name: string) => boolean,
    private readonly trees: Map<string, Tree>,
  ) {
    this.tree = this.newTree(name)
  }

  private newTree(name: string): Tree {
    return { name, parseName: this.name, root: { type: 'list', pos: 0, nodes: [] }, text: this.text }
  }

  // --- token stream (the lexer's items, with Go's lookahead semantics) ---
  private at(idx: number): Item {
    const it = this.items[Math.min(idx, this.items.length - 1)]!
    if (idx > this.lexed) this.lexed = idx
    return it
  }
  private next(): Item {
    return this.at(this.i++)
  }
  private backup(): void {
    this.i--
  }
  private peek(): Item {
    return this.at(this.i)
  }
  private nextNonSpace(): Item {
    let t: Item
    do t = this.next()
    while (t.typ === T.Space)
    return t
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace()
    this.backup()
    return t
  }

  private errorf(msg: string): never {
    const line = this.at(this.lexed).line
    throw new TemplateParseError(`template: ${this.name}:${line}: ${msg}`)
  }
  private unexpected(token: Item, context: string): never {
    if (token.typ === T.Error) {
      let extra = ''
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length)
      }
      this.errorf(`${itemString(token)}${extra}`)
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`)
  }
  private expect(typ: T, context: string): Item {
    const t = this.nextNonSpace()
    if (t.typ !== typ) this.unexpected(t, context)
    return t
  }

  // --- templates ---
  parseTop(): void {
    this.tree.root = { type: 'list', pos: this.peek().pos, nodes: [] }
    while (this.peek().typ !== T.EOF) {
      if (this.peek().typ === T.LeftDelim) {
        const mark = this.i
        this.next()
        if (this.nextNonSpace().typ === T.Define) {
          this.parseDefinition()
          continue
        }
        this.i = mark
      }
      const n = this.textOrAction()
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`)
      this.tree.root.nodes.push(n)
    }
    this.add(this.tree)
  }

  private add(tree: Tree): void {
    const old = this.trees.get(tree.name)
    if (old === undefined || isEmptyTree(old.root)) {
      this.trees.set(tree.name, tree)
      return
    }
    if (!isEmptyTree(tree.root)) this.errorf(`template: multiple definition of template ${goQuote(tree.name)}`)
  }

  private parseDefinition(): void {
    const context = 'define clause'
    const tok = this.nextNonSpace()
    if (tok.typ !== T.String && tok.typ !== T.RawString) this.unexpected(tok, context)
    const tree = this.newTree(this.unquote(tok.val))
    this.expect(T.RightDelim, context)
    const saved = { tree: this.tree, vars: this.vars }
    this.tree = tree
    this.vars = ['$']
    const [list, end] = this.itemList()
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`)
    tree.root = list
    this.add(tree)
    this.tree = saved.tree
    this.vars = saved.vars
  }

  private unquote(lit: string): string {
    try {
      return goUnquote(lit)
    } catch (err) {
      this.errorf((err as Error).message)
    }
  }

  private itemList(): [ListNode, Closer] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] }
    while (this.peekNonSpace().typ !== T.EOF) {
      const n = this.textOrAction()
      if (n.type === 'end' || n.type === 'else') return [list, n]
      list.nodes.push(n)
    }
    this.errorf('unexpected EOF')
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace()
    switch (token.typ) {
      case T.Text:
        return { type: 'text', pos: token.pos, text: token.val }
      case T.LeftDelim: {
        this.actionLine = token.line
        try {
          return this.action()
        } finally {
          this.actionLine = 0
        }
      }
      default:
        this.unexpected(token, 'input')
    }
  }

  private action(): Node {
    const token = this.nextNonSpace()
    switch (token.typ) {
      case T.Block: return this.blockControl()
      case T.Break:
      case T.Continue: return this.loopControl(token)
      case T.Else: return this.elseControl()
      case T.End: return { type: 'end', pos: this.expect(T.RightDelim, 'end').pos }
      case T.If: return this.branch('if', true)
      case T.Range: return this.branch('range', false)
      case T.Template: return this.templateControl()
      case T.With: return this.branch('with', false)
    }
    this.backup()
    const first = this.peek()
    return { type: 'action', pos: first.pos, line: first.line, pipe: this.pipeline('command', T.RightDelim) }
  }

  private loopControl(token: Item): Node {
    const word = token.typ === T.Break ? 'break' : 'continue'
    const t = this.nextNonSpace()
    if (t.typ !== T.RightDelim) this.unexpected(t, `{{${word}}}`)
    if (this.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`)
    return { type: word, pos: token.pos, line: token.line }
  }

  private elseControl(): ElseNode {
    const peek = this.peekNonSpace()
    if (peek.typ === T.If) return { type: 'else', pos: peek.pos, line: peek.line }
    const token = this.expect(T.RightDelim, 'else')
    return { type: 'else', pos: token.pos, line: token.line }
  }

  private branch(kind: 'if' | 'range' | 'with', allowElseIf: boolean): Node {
    const nvars = this.vars.length
    const pipe = this.pipeline(kind, T.RightDelim)
    if (kind === 'range') this.rangeDepth++
    let [list, next] = this.itemList()
    if (kind === 'range') this.rangeDepth--
    let elseList: ListNode | null = null
    if (next.type === 'else') {
      if (allowElseIf && this.peek().typ === T.If) {
        this.next()
        elseList = { type: 'list', pos: next.pos, nodes: [this.branch('if', true)] }
      } else {
        ;[elseList, next] = this.itemList()
        if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`)
      }
    }
    this.vars.length = nvars
    return { type: kind, pos: pipe.pos, line: pipe.line, pipe, list, elseList }
  }

  private blockControl(): Node {
    const context = 'block clause'
    const token = this.nextNonSpace()
    if (token.typ !== T.String && token.typ !== T.RawString) this.unexpected(token, context)
    const name = this.unquote(token.val)
    const pipe = this.pipeline(context, T.RightDelim)
    const block = this.newTree(name)
    const saved = { tree: this.tree, vars: this.vars }
    this.tree = block
    this.vars = ['$']
    const [list, end] = this.itemList()
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`)
    block.root = list
    this.add(block)
    this.tree = saved.tree
    this.vars = saved.vars
    return { type: 'template', pos: token.pos, line: token.line, name, pipe } satisfies TemplateNode
  }

  private templateControl(): Node {
    const context = 'template clause'
    const token = this.nextNonSpace()
    if (token.typ !== T.String && token.typ !== T.RawString) this.unexpected(token, context)
    const name = this.unquote(token.val)
    let pipe: PipeNode | null = null
    if (this.nextNonSpace().typ !== T.RightDelim) {
      this.backup()
      pipe = this.pipeline(context, T.RightDelim)
    }
    return { type: 'template', pos: token.pos, line: token.line, name, pipe }
  }

  // --- pipelines ---
  private pipeline(context: string, end: T): PipeNode {
    const token = this.peekNonSpace()
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, line: token.line, isAssign: false, decl: [], cmds: [] }
    for (;;) {
      const v = this.peekNonSpace()
      if (v.typ !== T.Variable) break
      const at = this.i
      this.next()
      const next = this.peekNonSpace()
      if (next.typ === T.Assign || next.typ === T.Declare) {
        pipe.isAssign = next.typ === T.Assign
        this.nextNonSpace()
        pipe.decl.push(this.variable(v.pos, v.val))
        this.vars.push(v.val)
      } else if (next.typ === T.Char && next.val === ',') {
        this.nextNonSpace()
        pipe.decl.push(this.variable(v.pos, v.val))
        this.vars.push(v.val)
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().typ
          if (t === T.Variable || t === T.RightDelim || t === T.RightParen) continue
          this.errorf('range can only initialize variables')
        }
        this.errorf(`too many declarations in ${context}`)
      } else {
        this.i = at // not a declaration: reread the variable as an operand
      }
      break
    }
    for (;;) {
      const token = this.nextNonSpace()
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context)
          return pipe
        case T.Bool: case T.CharConstant: case T.Complex: case T.Dot: case T.Field: case T.Identifier:
        case T.Number: case T.Nil: case T.RawString: case T.String: case T.Variable: case T.LeftParen:
          this.backup()
          pipe.cmds.push(this.command())
          break
        default:
          this.unexpected(token, context)
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`)
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]!.type
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`)
      }
    })
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] }
    for (;;) {
      this.peekNonSpace()
      const operand = this.operand()
      if (operand) cmd.args.push(operand)
      const token = this.next()
      if (token.typ === T.Space) continue
      if (token.typ === T.RightDelim || token.typ === T.RightParen) this.backup()
      else if (token.typ !== T.Pipe) this.unexpected(token, 'operand')
      break
    }
    if (cmd.args.length === 0) this.errorf('empty command')
    return cmd
  }

  private operand(): ArgNode | null {
    const node = this.term()
    if (!node || this.peek().typ !== T.Field) return node
    const chain: ChainNode = { type: 'chain', pos: this.peek().pos, node, field: [] }
    while (this.peek().typ === T.Field) chain.field.push(this.next().val.slice(1))
    switch (node.type) {
      case 'field':
        return { type: 'field', pos: chain.pos, ident: [...node.ident, ...chain.field] }
      case 'variable':
        return { type: 'variable', pos: chain.pos, ident: [...node.ident, ...chain.field] }
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`)
    }
    return chain
  }

  private term(): ArgNode | null {
    const token = this.nextNonSpace()
    switch (token.typ) {
      case T.Identifier:
        if (!this.hasFunction(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`)
        return { type: 'identifier', pos: token.pos, name: token.val }
      case T.Dot: return { type: 'dot', pos: token.pos }
      case T.Nil: return { type: 'nil', pos: token.pos }
      case T.Variable: return this.useVar(token.pos, token.val)
      case T.Field: return { type: 'field', pos: token.pos, ident: token.val.slice(1).split('.') }
      case T.Bool: return { type: 'bool', pos: token.pos, value: token.val === 'true' }
      case T.CharConstant:
      case T.Complex:
      case T.Number: return this.number(token)
      case T.LeftParen: return this.pipeline('parenthesized pipeline', T.RightParen)
      case T.String:
      case T.RawString: return { type: 'string', pos: token.pos, quoted: token.val, text: this.unquote(token.val) }
    }
    this.backup()
    return null
  }

  private number(token: Item): NumberNode {
    try {
      return parseNumber(token.pos, token.val, token.typ === T.CharConstant, token.typ === T.Complex)
    } catch (err) {
      this.errorf((err as Error).message)
    }
  }

  private variable(pos: number, name: string): VariableNode {
    return { type: 'variable', pos, ident: name.split('.') }
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = this.variable(pos, name)
    if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${goQuote(v.ident[0]!)}`)
    return v
  }
}
