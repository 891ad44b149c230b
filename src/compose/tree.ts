/**
 * From a rendered skeleton (trusted template Markdown with value placeholders) to the document
 * tree: the skeleton is parsed section by section (at ATX headings outside code fences, so work
 * stays linear in the size of the document), then every placeholder is replaced by the node its
 * value becomes. Values are never parsed, so no value can change the structure.
 */
import type { Nodes, Parent, PhrasingContent, Root, RootContent, TableRow } from 'mdast';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import type { ChartSpec } from './charts.ts';
import { advisoryBlock } from './advisory.ts';
import { dataText } from './data-text.ts';
import { parseMarkdown } from './markdown-parse.ts';
import { shownBlockText, shownInlineText } from './shown-text.ts';
import { CLOSE, OPEN, type Value, type ValueTable } from './values.ts';

const PLACEHOLDER = new RegExp(`${OPEN}([0-9a-z]+)${CLOSE}`, 'g');
const ONLY_PLACEHOLDER = new RegExp(`^\\s*${OPEN}([0-9a-z]+)${CLOSE}\\s*$`);

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The fence still open after `line`, given the one open before it (`undefined`: none), and
 * whether the line opens or closes a fence (or is a fence-like line inside one).
 */
function nextFence(line: string, open: string | undefined): { open: string | undefined; fenceLine: boolean } {
  const f = FENCE.exec(line);
  if (!f) return { open, fenceLine: false };
  if (!open) return { open: f[1]!, fenceLine: true };
  const closes = f[1]!.startsWith(open[0]!) && f[1]!.length >= open.length && line.trim() === f[1];
  return { open: closes ? undefined : open, fenceLine: true };
}

/**
 * Split a skeleton into independently parsable sections: before each ATX heading line that is
 * not inside a fenced code block. The skeleton is template text, so its fences are the
 * template's own (values are still placeholders here).
 */
export function splitSections(skeleton: string): string[] {
  const lines = skeleton.split('\n');
  const out: string[] = [];
  let start = 0;
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const step = nextFence(line, fence);
    fence = step.open;
    if (step.fenceLine) continue;
    if (!fence && /^#{1,6}(?:[ \t]|$)/.test(line) && i > start) {
      out.push(lines.slice(start, i).join('\n'));
      start = i;
    }
  }
  out.push(lines.slice(start).join('\n'));
  return out.filter((s) => s.trim() !== '');
}

/** The problems met while resolving placeholders (reported once per kind). */
interface Resolve {
  values: ValueTable;
  file: string;
  diagnostics: Diagnostic[];
}

function badPlacement(r: Resolve, where: string): void {
  if (r.diagnostics.some((d) => d.code === 'template/bad-placement' && d.message.includes(where))) return;
  r.diagnostics.push(diag('template/bad-placement', 'error', `a value was placed ${where} in ${r.file}; values become text, code or link nodes only where those may stand`, {
    file: r.file,
    expected: 'codeblock and markdown values alone on their own line; no value inside a code span, a link target or raw HTML',
    fix: 'put {{ x | codeblock }} / {{ x | markdown }} on a line of its own, and use {{ url | link(label) }} instead of [label]({{ url }})',
  }));
}

/** The inline nodes of a text node whose value holds placeholders. */
function inline(value: string, r: Resolve, row: TableRow | undefined): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  const pushText = (t: string) => {
    if (t === '') return;
    const last = out[out.length - 1];
    if (last?.type === 'text') last.value += t;
    else out.push({ type: 'text', value: t });
  };
  let at = 0;
  for (const m of value.matchAll(PLACEHOLDER)) {
    pushText(value.slice(at, m.index));
    at = m.index + m[0].length;
    const v = r.values.get(m[1]!);
    if (!v) continue;
    switch (v.kind) {
      case 'text':
        for (const n of dataText(shownInlineText(v.value))) {
          if (n.type === 'text') pushText(n.value);
          else out.push(n);
        }
        break;
      case 'code':
        if (v.value !== '') out.push({ type: 'inlineCode', value: shownInlineText(v.value) });
        break;
      case 'link':
        out.push({ type: 'link', url: v.url, children: [{ type: 'text', value: shownInlineText(v.label) }] });
        break;
      case 'signature':
        // The blank line is text in Markdown; HTML draws a box in its place (see hast-document.ts).
        out.push({ type: 'text', value: '________________', data: { hName: 'span', hProperties: { className: ['am-signature'], dataAmSign: v.role }, hChildren: [] } });
        break;
      case 'row':
        if (row) row.data = { ...row.data, hProperties: { ...(row.data?.hProperties ?? {}), ...Object.fromEntries(Object.entries(v.props).map(([k, x]) => [dataProperty(k), x])) } };
        else badPlacement(r, 'as row data outside a table row');
        break;
      default:
        badPlacement(r, `as a ${v.kind} inside a line of text`);
    }
  }
  pushText(value.slice(at));
  return out;
}

/** A block-level value (code block, advisory) standing alone in a paragraph. */
function blockValue(v: Value): RootContent | undefined {
  if (v.kind === 'codeblock') return { type: 'code', lang: v.lang ?? null, value: shownBlockText(v.value).replace(/\n$/, '') };
  if (v.kind === 'markdown') return advisoryBlock(v.value);
  if (v.kind === 'chart') {
    // A stacked bar's parts follow its total in parentheses; bars are then separated by `;`, since the parts use commas.
    const stacked = v.spec.bars.some((b) => b.segments?.length);
    const bar = (b: ChartSpec['bars'][number]) => `${b.label} ${b.value}${b.segments?.length ? ` (${b.segments.map((p) => `${p.label} ${p.value}`).join(', ')})` : ''}`;
    const sentence = `${v.title ? `${v.title}: ` : ''}${v.spec.bars.map(bar).join(stacked ? '; ' : ', ') || 'no data'}.`;
    return { type: 'paragraph', children: [{ type: 'text', value: shownInlineText(sentence) }], data: { chart: { title: shownInlineText(v.title), spec: v.spec } } };
  }
  return undefined;
}

/** `severity-rank` → `dataSeverityRank`: the hast property name of the `data-severity-rank` attribute. */
const dataProperty = (key: string): string => `data${key.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;

const hasPlaceholder = (s: unknown): boolean => typeof s === 'string' && (s.includes(OPEN) || s.includes(CLOSE));

/** Replace the placeholders under `parent`, in place. */
function resolveChildren(parent: Parent, r: Resolve, row: TableRow | undefined): void {
  const next: RootContent[] = [];
  for (const child of parent.children as RootContent[]) {
    if (child.type === 'html') {
      // Templates write Markdown; raw HTML is never rendered (and could only come from a template).
      if (hasPlaceholder(child.value)) badPlacement(r, 'inside raw HTML');
      continue;
    }
    if (child.type === 'paragraph' && child.children.length === 1 && child.children[0]!.type === 'text') {
      const m = ONLY_PLACEHOLDER.exec(child.children[0]!.value);
      const v = m ? r.values.get(m[1]!) : undefined;
      if (v && (v.kind === 'codeblock' || v.kind === 'markdown' || v.kind === 'chart')) {
        const block = blockValue(v);
        if (block) next.push(block);
        continue;
      }
    }
    if (child.type === 'text') {
      if (hasPlaceholder(child.value)) next.push(...(inline(child.value, r, row) as RootContent[]));
      else next.push(child);
      continue;
    }
    if (('value' in child && hasPlaceholder(child.value)) || ('url' in child && hasPlaceholder(child.url)) || ('alt' in child && hasPlaceholder(child.alt)) || ('title' in child && hasPlaceholder(child.title))) {
      badPlacement(r, `inside a ${child.type}`);
      continue;
    }
    if ('children' in child) resolveChildren(child as Parent, r, child.type === 'tableRow' ? child : row);
    next.push(child);
  }
  parent.children = next as Parent['children'];
}

/** Turns one skeleton section into its tree (placeholders still in the text). */
export type SectionParser = (section: string) => Root;

/** A placeholder-free copy of `text` in which the n-th placeholder is `OPEN n CLOSE`, and the ids it replaced. */
function canonical(text: string): { shape: string; ids: string[] } {
  const ids: string[] = [];
  const shape = text.replace(PLACEHOLDER, (_, id: string) => `${OPEN}${(ids.push(id) - 1).toString(36)}${CLOSE}`);
  return { shape, ids };
}

const TABLE_LINE = /^\|.*\|[ \t]*$/;
const DELIMITER_ROW = /^\|(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*$/;

/**
 * The section with every table's body rows taken out (header and delimiter rows kept), and the
 * rows taken, per table. Only the plain form the templates write is cut: a table whose lines all
 * start and end with `|`, after a blank line (or at the start) and ended by a blank line (or the
 * end), outside code fences. Any other line starting with `|` means a table of another form:
 * then nothing is cut and the section is parsed whole.
 */
function cutTableRows(section: string): { text: string; tables: Array<{ columns: number; delimiter: string; rows: string[] }> } | undefined {
  const lines = section.split('\n');
  const kept: string[] = [];
  const tables: Array<{ columns: number; delimiter: string; rows: string[] }> = [];
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const inside = fence !== undefined;
    const step = nextFence(line, fence);
    fence = step.open;
    if (step.fenceLine || inside) {
      kept.push(line);
      continue;
    }
    if (!line.startsWith('|')) {
      kept.push(line);
      continue;
    }
    const delimiter = lines[i + 1] ?? '';
    if (!TABLE_LINE.test(line) || !DELIMITER_ROW.test(delimiter) || (i > 0 && lines[i - 1]!.trim() !== '')) return undefined;
    const rows: string[] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j]!.trim() !== ''; j++) {
      if (!TABLE_LINE.test(lines[j]!)) return undefined;
      rows.push(lines[j]!);
    }
    kept.push(line, delimiter);
    tables.push({ columns: delimiter.trim().slice(1, -1).split('|').length, delimiter, rows });
    i = j - 1;
  }
  return tables.length ? { text: kept.join('\n'), tables } : undefined;
}

/**
 * The parser of one document's sections. Sections that differ only in their placeholder ids
 * (one per finding, one per rule…) parse to the same tree, so each shape is parsed once and
 * copied with the ids put back (a 2,000-rule report has 2,031 sections of 33 shapes).
 * Placeholders are private-use characters around [0-9a-z], none of which Markdown gives a
 * meaning, so a tree never depends on which ids it holds.
 *
 * Table rows are the same at a finer grain: micromark's GFM tables cost about 0.5 ms a row
 * (a 60-row findings table, 5 KB, took 30–100 ms), and a GFM body row is read from its own line
 * alone, given the delimiter row (which fixes the columns and their alignment). So body rows are
 * cut out (`cutTableRows`), each row shape is parsed once under a header of as many cells, and
 * the rows are put back into their tables. The cut is checked against the parse (every table a
 * top-level node with its header row only, one per cut table), else the section is parsed whole.
 * `tests/unit/compose-sections.test.ts` compares both ways on every template and on generated tables.
 */
export function sectionParser(options: { tableRows?: boolean } = {}): SectionParser {
  const shapes = new Map<string, Root>();
  const rowShapes = new Map<string, TableRow | null>();
  const parseShape = (shape: string): Root => {
    let parsed = shapes.get(shape);
    if (!parsed) shapes.set(shape, (parsed = parseMarkdown(shape)));
    return parsed;
  };
  const whole = (section: string): Root => {
    const { shape, ids } = canonical(section);
    return withIds(parseShape(shape), ids) as Root;
  };
  const row = (columns: number, delimiter: string, line: string): TableRow | undefined => {
    const { shape, ids } = canonical(line);
    const key = `${delimiter}\n${shape}`;
    let parsed = rowShapes.get(key);
    if (parsed === undefined) {
      const tree = parseMarkdown(`|${' h |'.repeat(columns)}\n${delimiter}\n${shape}`);
      const table = tree.children[0];
      parsed = tree.children.length === 1 && table?.type === 'table' && table.children.length === 2 ? table.children[1]! : null;
      rowShapes.set(key, parsed);
    }
    return parsed ? (withIds(parsed, ids) as TableRow) : undefined;
  };
  return (section) => {
    const cut = options.tableRows === false ? undefined : cutTableRows(section);
    if (!cut) return whole(section);
    const part = whole(cut.text);
    const tables = part.children.filter((c) => c.type === 'table');
    if (tables.length !== cut.tables.length) return whole(section);
    for (const [k, table] of tables.entries()) {
      const { columns, delimiter, rows } = cut.tables[k]!;
      if (table.children.length !== 1 || table.children[0]!.children.length !== columns) return whole(section);
      for (const line of rows) {
        const r = row(columns, delimiter, line);
        if (!r) return whole(section);
        table.children.push(r);
      }
    }
    return part;
  };
}

/** Deepest list/blockquote nesting of a tree. */
function nestingDepth(node: Nodes, depth = 0): number {
  const here = node.type === 'list' || node.type === 'blockquote' ? depth + 1 : depth;
  let max = here;
  if ('children' in node) for (const child of node.children) max = Math.max(max, nestingDepth(child as Nodes, here));
  return max;
}

/**
 * A document's content, made section by section each time it is read. What is kept is the
 * skeleton's sections, the value table and the parser (whose shape cache makes every read
 * cheap), never the whole tree: at 20,000 rules that tree was 1.4 M nodes, about 240 MB live
 * through every rendering, and V8 let the heap grow to some four times the live set (1.4–1.6 GB
 * peak). A renderer that consumes the nodes as they come holds one section's at a time.
 * The sections were checked when composed ({@link skeletonToContent}), so every read makes the
 * same nodes and finds no problem.
 */
export class DocumentContent {
  readonly #sections: readonly string[];
  readonly #values: ValueTable;
  readonly #file: string;
  readonly #parse: SectionParser;

  constructor(sections: readonly string[], values: ValueTable, file: string, parse: SectionParser) {
    this.#sections = sections;
    this.#values = values;
    this.#file = file;
    this.#parse = parse;
  }

  /** The top-level nodes in document order, made one section at a time. `signal` is checked between sections. */
  *blocks(signal?: AbortSignal): Generator<RootContent> {
    const r: Resolve = { values: this.#values, file: this.#file, diagnostics: [] };
    for (const section of this.#sections) {
      signal?.throwIfAborted();
      yield* resolvedSection(section, r, this.#parse).children;
    }
  }

  /** The whole tree at once: for small documents and tests (renderers read {@link blocks}). */
  tree(): Root {
    return { type: 'root', children: [...this.blocks()] };
  }
}

function resolvedSection(section: string, r: Resolve, parse: SectionParser): Root {
  const part = parse(section);
  resolveChildren(part, r, undefined);
  return part;
}

/**
 * The content of a rendered skeleton, checked: sections are parsed and resolved here (one per
 * {@link checkKey}), which is where misplaced values are found and the nesting measured, and then
 * let go (the renderers make each section again as they read it). `signal` is checked between sections, so a
 * render deadline also stops composing a huge document. `parse` is for tests (the default is the
 * cached, row-cutting parser).
 */
export function skeletonToContent(skeleton: string, values: ValueTable, file: string, signal?: AbortSignal, parse: SectionParser = sectionParser()): { content: DocumentContent; depth: number; diagnostics: Diagnostic[] } {
  const r: Resolve = { values, file, diagnostics: [] };
  const sections = splitSections(skeleton);
  const checked = new Map<string, number>();
  let depth = 0;
  for (const section of sections) {
    signal?.throwIfAborted();
    const key = checkKey(section, values);
    let d = key === undefined ? undefined : checked.get(key);
    if (d === undefined) {
      d = nestingDepth(resolvedSection(section, r, parse));
      if (key !== undefined) checked.set(key, d);
    }
    depth = Math.max(depth, d);
  }
  return { content: new DocumentContent(sections, values, file, parse), depth, diagnostics: r.diagnostics };
}

/**
 * What decides a section's check: its shape and the kind of value at each placeholder. Where a
 * value may stand depends only on where its placeholder is and what kind it is (a code block
 * alone in a paragraph, row data in a row…), and no kind but `markdown` adds nesting, so two
 * sections with one key find the same problems and nest as deep: the 2,031 sections of a
 * 2,000-rule report are checked by resolving 33. A section holding an advisory (`markdown`, whose
 * depth depends on its text) has no key and is always resolved.
 */
function checkKey(section: string, values: ValueTable): string | undefined {
  const { shape, ids } = canonical(section);
  let kinds = '';
  for (const id of ids) {
    const kind = values.get(id)?.kind ?? '-';
    if (kind === 'markdown') return undefined;
    kinds += `${kind},`;
  }
  return `${shape}\u0000${kinds}`;
}

/** The whole document tree of a rendered skeleton (see {@link skeletonToContent}). */
export function skeletonToTree(skeleton: string, values: ValueTable, file: string, signal?: AbortSignal, parse: SectionParser = sectionParser()): { tree: Root; diagnostics: Diagnostic[] } {
  const { content, diagnostics } = skeletonToContent(skeleton, values, file, signal, parse);
  return { tree: content.tree(), diagnostics };
}

/** A deep copy of a parsed shape in which placeholder `n` becomes placeholder `ids[n]`. */
function withIds(node: unknown, ids: readonly string[]): unknown {
  if (typeof node === 'string') return node.includes(OPEN) ? node.replace(PLACEHOLDER, (_, n: string) => `${OPEN}${ids[parseInt(n, 36)]}${CLOSE}`) : node;
  if (Array.isArray(node)) return node.map((x) => withIds(x, ids));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = withIds(v, ids);
  return out;
}
