/**
 * Parse tree of a Go text/template, mirroring text/template/parse node kinds.
 * `nodeString` renders a node the way Go's Node.String() does; execution
 * errors quote it ("executing "x" at <.Foo>").
 */
import { goQuote } from './quote.js'

interface Base {
  pos: number
}
export interface TextNode extends Base { type: 'text'; text: string }
export interface CommentNode extends Base { type: 'comment'; text: string }
export interface ListNode extends Base { type: 'list'; nodes: Node[] }
export interface ActionNode extends Base { type: 'action'; line: number; pipe: PipeNode }
export interface BranchNode extends Base {
  type: 'if' | 'range' | 'with'
  line: number
  pipe: PipeNode
  list: ListNode
  elseList: ListNode | null
}
export interface LoopControlNode extends Base { type: 'break' | 'continue'; line: number }
export interface TemplateNode extends Base { type: 'template'; line: number; name: string; pipe: PipeNode | null }
export interface PipeNode extends Base {
  type: 'pipe'
  line: number
  isAssign: boolean
  decl: VariableNode[]
  cmds: CommandNode[]
}
export interface CommandNode extends Base { type: 'command'; args: ArgNode[] }
export interface FieldNode extends Base { type: 'field'; ident: string[] }
export interface VariableNode extends Base { type: 'variable'; ident: string[] }
export interface IdentifierNode extends Base { type: 'identifier'; name: string }
export interface ChainNode extends Base { type: 'chain'; node: ArgNode; field: string[] }
export interface DotNode extends Base { type: 'dot' }
export interface NilNode extends Base { type: 'nil' }
export interface BoolNode extends Base { type: 'bool'; value: boolean }
export interface StringNode extends Base { type: 'string'; quoted: string; text: string }
export interface NumberNode extends Base {
  type: 'number'
  text: string
  isInt: boolean
  isUint: boolean
  isFloat: boolean
  /** The integral value when isInt/isUint (a bigint beyond 2^53). */
  int: number | bigint
  float: number
}
/** Pseudo nodes the parser uses to close blocks; never left in a tree. */
export interface EndNode extends Base { type: 'end' }
export interface ElseNode extends Base { type: 'else'; line: number }

export type ArgNode =
  | FieldNode | VariableNode | IdentifierNode | ChainNode | DotNode | NilNode | BoolNode
  | StringNode | NumberNode | PipeNode
export type Node =
  | TextNode | CommentNode | ListNode | ActionNode | BranchNode | LoopControlNode | TemplateNode
  | PipeNode | CommandNode | ArgNode | EndNode | ElseNode

export function nodeString(n: Node): string {
  switch (n.type) {
    case 'text': return n.text
    case 'comment': return `{{${n.text}}}`
    case 'list': return n.nodes.map(nodeString).join('')
    case 'action': return `{{${nodeString(n.pipe)}}}`
    case 'if':
    case 'range':
    case 'with': {
      const els = n.elseList ? `{{else}}${nodeString(n.elseList)}` : ''
      return `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}${els}{{end}}`
    }
    case 'break': return '{{break}}'
    case 'continue': return '{{continue}}'
    case 'template': return `{{template ${goQuote(n.name)}${n.pipe ? ' ' + nodeString(n.pipe) : ''}}}`
    case 'pipe': {
      const decl = n.decl.length ? n.decl.map(nodeString).join(', ') + ' := ' : ''
      return decl + n.cmds.map(nodeString).join(' | ')
    }
    case 'command':
      return n.args.map(a => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ')
    case 'field': return n.ident.map(id => '.' + id).join('')
    case 'variable': return n.ident.join('.')
    case 'identifier': return n.name
    case 'chain': {
      const head = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)
      return head + n.field.map(f => '.' + f).join('')
    }
    case 'dot': return '.'
    case 'nil': return 'nil'
    case 'bool': return n.value ? 'true' : 'false'
    case 'string': return n.quoted
    case 'number': return n.text
    case 'end': return '{{end}}'
    case 'else': return '{{else}}'
  }
}
