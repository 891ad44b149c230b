/**
 * A static check of every template before it renders: each `{{ … }}` must end in a value filter
 * (`| md`, `| code`, `| num`, …), so that everything a template prints from data becomes a value
 * of the document tree, never Markdown text. Bare `{{ x }}`, `{{ x | upper }}` or a
 * `{% filter %}` block would print data into the skeleton, so they are refused at load time with
 * the template's file and line. Literals, macro calls (`{{ m(x) }}`, `caller()`, `super()`) and
 * inline ifs whose branches follow the rule are allowed: they only print template text.
 */
import nunjucks from 'nunjucks';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { CLOSE, OPEN, VALUE_FILTERS } from './values.ts';

interface NjNode {
  typename: string;
  lineno: number;
  colno: number;
  name?: NjNode & { value?: string };
  body?: NjNode;
  else_?: NjNode;
  children?: NjNode[];
  findAll<T>(type: unknown, results?: T[]): T[];
}

const FILTERS = new Set<string>(VALUE_FILTERS);

function allowed(node: NjNode): boolean {
  switch (node.typename) {
    case 'TemplateData':
    case 'Literal':
      return true;
    case 'Filter':
      return FILTERS.has(node.name?.value ?? '');
    case 'FunCall':
      // Macros, caller() and super() render template text; a method of a data value does not.
      return node.name?.typename === 'Symbol';
    case 'InlineIf':
      return (node.body === undefined || allowed(node.body)) && (node.else_ === undefined || node.else_ === null || allowed(node.else_));
    default:
      return false;
  }
}

/** Problems of one template file: printed values that bypass the value filters, or placeholder characters in its text. */
export function lintTemplate(source: string, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = source.search(new RegExp(`[${OPEN}${CLOSE}]`));
  if (at !== -1) {
    const line = source.slice(0, at).split('\n').length;
    out.push(diag('template/raw-output', 'error', `the template contains U+E000 or U+E001, which auditmark reserves for value placeholders`, {
      file, line, expected: 'template text without the private-use characters U+E000 and U+E001', fix: 'remove those characters from the template',
    }));
  }
  let root: NjNode;
  try {
    root = (nunjucks as unknown as { parser: { parse: (...a: unknown[]) => unknown } }).parser.parse(source, [], { trimBlocks: true, lstripBlocks: true } as never) as NjNode;
  } catch {
    // Syntax errors are reported by the render itself, with Nunjucks' own message and line.
    return out;
  }
  for (const output of root.findAll<NjNode>((nunjucks as unknown as { nodes: { Output: unknown } }).nodes.Output)) {
    for (const child of output.children ?? []) {
      if (allowed(child)) continue;
      const line = child.lineno + 1;
      const column = child.colno + 1;
      const what = child.typename === 'Filter' ? `the filter "${child.name?.value ?? '?'}" is not a value filter` : 'a value is printed without a value filter';
      out.push(diag('template/raw-output', 'error', `${what}; it would print data as Markdown`, {
        file, line, column,
        expected: `{{ … | <one of ${VALUE_FILTERS.join(', ')}> }} (other filters may come before it)`,
        fix: 'end the expression with a value filter, e.g. {{ finding.title | md }} or {{ run.total | num }}',
      }));
    }
  }
  return out;
}
