/**
 * Compose: render a versioned template over a context, normalise the Markdown through unified
 * (remark-parse + remark-gfm + remark-stringify with fixed options) and prepend the YAML
 * frontmatter. Pure: no fs, no clock; the template files arrive in memory.
 */
import type { Nodes, Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../model/limits.ts';
import type { Report } from '../model/report.ts';
import { truncateStrings } from '../model/normalize-text.ts';
import { createEnvironment, renderErrorDiagnostic } from './environment.ts';
import { reportFrontmatter, stringifyFrontmatter } from './frontmatter.ts';
import { reportContext } from './report-context.ts';
import { templateKey, type LoadedTemplate } from './template-registry.ts';

/** Options of a compose call. */
export interface ComposeOptions {
  /** Frontmatter data, written first in its key order; omitted when absent. */
  frontmatter?: object;
  /** Other loaded templates the selected one may `{% extends %}` or include (e.g. shipped ones). */
  library?: readonly LoadedTemplate[];
  limits?: Partial<Pick<Limits, 'maxMarkdownNesting' | 'maxDocumentFieldLength'>>;
}

/** A composed document: the Markdown, or `''` with error diagnostics. */
export interface ComposeResult {
  markdown: string;
  diagnostics: Diagnostic[];
}

/** Fixed serialisation options: the same tree always gives the same bytes. */
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm, { tablePipeAlign: false, singleTilde: false })
  .use(remarkStringify, {
    bullet: '-',
    emphasis: '_',
    strong: '*',
    fence: '`',
    fences: true,
    rule: '-',
    listItemIndent: 'one',
    incrementListMarker: true,
    setext: false,
    closeAtx: false,
    resourceLink: true,
    tightDefinitions: true,
  });

/** Deepest list/blockquote nesting of a Markdown tree. */
function nestingDepth(node: Nodes, depth = 0): number {
  const here = node.type === 'list' || node.type === 'blockquote' ? depth + 1 : depth;
  let max = here;
  if ('children' in node) for (const child of node.children) max = Math.max(max, nestingDepth(child as Nodes, here));
  return max;
}

/**
 * A cheap upper bound of nesting read from line prefixes, checked before parsing: remark
 * itself is what pathological nesting attacks, so the bound must come first.
 */
function prefixNestingBound(markdown: string): number {
  let max = 0;
  for (const line of markdown.split('\n')) {
    const m = /^[ \t>]*(?:[-*+]|\d{1,9}[.)])?[ \t>]*/.exec(line);
    if (!m) continue;
    const prefix = m[0];
    const quotes = prefix.split('>').length - 1;
    const indent = prefix.replace(/>/g, '').replace(/\t/g, '    ').length;
    max = Math.max(max, quotes + Math.floor(indent / 2));
  }
  return max;
}

function nestingDiagnostic(observed: number, limit: number, file: string): Diagnostic {
  return diag('limit/markdown-nesting', 'error', `rendered Markdown nests lists/quotes ${observed} deep; the limit maxMarkdownNesting is ${limit}`, {
    file, expected: `at most ${limit} levels of nested lists and block quotes`, fix: `flatten the template's nesting, or ${limitHint('maxMarkdownNesting')}`,
  });
}

/**
 * Normalise Markdown through unified so that it is GFM-valid and deterministic, enforcing
 * `maxMarkdownNesting` before and after parsing.
 */
export function normalizeMarkdown(markdown: string, limit: number, file: string): ComposeResult {
  // The prefix bound over-counts indentation (code blocks, continuation lines), so it only
  // rejects outright when far over the limit; the exact check runs on the tree.
  const bound = prefixNestingBound(markdown);
  if (bound > limit * 4) return { markdown: '', diagnostics: [nestingDiagnostic(bound, limit, file)] };
  const tree = processor.parse(markdown) as Root;
  const depth = nestingDepth(tree);
  if (depth > limit) return { markdown: '', diagnostics: [nestingDiagnostic(depth, limit, file)] };
  const out = processor.stringify(processor.runSync(tree) as Root);
  return { markdown: out.endsWith('\n') ? out : out + '\n', diagnostics: [] };
}

/**
 * Render `template`'s entry file over `context`, normalise it, and prepend frontmatter.
 * Generic over the context: used for reports and diffs. Template errors become
 * `template/render-error` diagnostics naming the template file and line.
 */
export function composeDocument(template: LoadedTemplate, context: object, options: ComposeOptions = {}): ComposeResult {
  const library = [template, ...(options.library ?? []).filter((t) => templateKey(t) !== templateKey(template))];
  const entry = `${templateKey(template)}/${template.manifest.entry}`;
  const file = `${template.dir.replace(/\/$/, '')}/${template.manifest.entry}`;
  let body: string;
  try {
    body = createEnvironment(library).render(entry, context);
  } catch (e) {
    return { markdown: '', diagnostics: [renderErrorDiagnostic(e, entry, library)] };
  }
  const limit = options.limits?.maxMarkdownNesting ?? DEFAULT_LIMITS.maxMarkdownNesting;
  const normal = normalizeMarkdown(body, limit, file);
  if (normal.diagnostics.length) return normal;
  const head = options.frontmatter ? stringifyFrontmatter(options.frontmatter) + '\n' : '';
  return { markdown: head + normal.markdown, diagnostics: [] };
}

/**
 * Compose a document from the machine twin it renders (a Report or a ReportDiff): checks the
 * template is of the right kind, caps the text shown at `maxDocumentFieldLength` (a 20 MB
 * message would be thousands of pages and gigabytes of Markdown trees; the twin JSON keeps the
 * full text), then renders the template over the view built from the capped value.
 */
export function composeFor<T>(
  kind: 'report' | 'diff',
  value: T,
  template: LoadedTemplate,
  view: (shown: T) => { context: object; frontmatter: object },
  options: Omit<ComposeOptions, 'frontmatter'> = {},
): ComposeResult {
  if (template.manifest.kind !== kind) {
    return {
      markdown: '',
      diagnostics: [diag('template/wrong-kind', 'error', `template ${templateKey(template)} renders a ${template.manifest.kind}, not a ${kind}`, {
        file: `${template.dir}/manifest.json`, pointer: '/kind', expected: `a template of kind "${kind}"`,
        fix: kind === 'report' ? 'select a report template with --template' : 'select a diff template, e.g. scan-diff@^1',
      })],
    };
  }
  const cap = options.limits?.maxDocumentFieldLength ?? DEFAULT_LIMITS.maxDocumentFieldLength;
  const { context, frontmatter } = view(truncateStrings(value, cap, 'maxDocumentFieldLength', `; full text in ${kind}.json`));
  return composeDocument(template, context, { ...options, frontmatter });
}

/**
 * Compose `report.md`: the report's frontmatter and the template rendered over
 * `reportContext(report)` (see docs/templates.md for the variables).
 */
export function composeReport(report: Report, template: LoadedTemplate, options: Omit<ComposeOptions, 'frontmatter'> = {}): ComposeResult {
  return composeFor('report', report, template, (shown) => ({ context: reportContext(shown), frontmatter: reportFrontmatter(shown) }), options);
}
