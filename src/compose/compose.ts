/**
 * Compose: a versioned template renders its trusted Markdown skeleton over a view of the model,
 * every printed value becoming a placeholder (`values.ts`); the skeleton is parsed section by
 * section and the placeholders replaced by nodes holding the values (`tree.ts`). The result is
 * the document tree: the single source of content that report.md, report.html and report.pdf
 * render. Pure: no fs, no clock; the template files arrive in memory.
 */
import type { Root } from 'mdast';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS, limitHint, type Limits } from '../model/limits.ts';
import type { ReportMetadata } from '../model/report.ts';
import { truncateStrings } from '../model/normalize-text.ts';
import { createEnvironment, renderErrorDiagnostic } from './environment.ts';
import { templateKey, type LoadedTemplate } from './template-registry.ts';
import { sectionParser, skeletonToContent, type DocumentContent, type SectionParser } from './tree.ts';
import { ValueTable } from './values.ts';

export type { DocumentContent } from './tree.ts';

/** A composed document: what every renderer of this document reads. */
export interface ComposedDocument {
  kind: 'report' | 'diff' | 'history';
  /** Facts about the document itself (title, id, creation time, classification…): cover, running header, PDF metadata. */
  meta: ReportMetadata;
  /** The YAML frontmatter of the Markdown rendering, keys in their written order. */
  frontmatter: Record<string, unknown>;
  /** The content, made section by section as a renderer reads it (`content.blocks()`; `content.tree()` gives it whole). */
  content: DocumentContent;
}

/** Options of a compose call. */
export interface ComposeOptions {
  /** Other loaded templates the selected one may `{% extends %}` or include (e.g. shipped ones). */
  library?: readonly LoadedTemplate[];
  limits?: Partial<Pick<Limits, 'maxMarkdownNesting' | 'maxDocumentFieldLength'>>;
  /** Stops composing a huge document when the render deadline is spent. */
  signal?: AbortSignal;
  /** How skeleton sections are parsed (tests compare the cached parser with a plain one). Default: {@link sectionParser}(). */
  parse?: SectionParser;
}

/**
 * A cheap upper bound of nesting read from line prefixes, checked before parsing: the parser
 * itself is what pathological nesting attacks, so the bound comes first. Values are still
 * placeholders here, so only the template's own text is measured.
 */
function prefixNestingBound(skeleton: string): number {
  let max = 0;
  for (const line of skeleton.split('\n')) {
    const prefix = /^[ \t>]*(?:[-*+]|\d{1,9}[.)])?[ \t>]*/.exec(line)?.[0] ?? '';
    const quotes = prefix.split('>').length - 1;
    const indent = prefix.replace(/>/g, '').replace(/\t/g, '    ').length;
    max = Math.max(max, quotes + Math.floor(indent / 2));
  }
  return max;
}

function nestingDiagnostic(observed: number, limit: number, file: string): Diagnostic {
  return diag('limit/markdown-nesting', 'error', `the template's Markdown nests lists/quotes ${observed} deep; the limit maxMarkdownNesting is ${limit}`, {
    file, expected: `at most ${limit} levels of nested lists and block quotes in the template`, fix: `flatten the template's nesting, or ${limitHint('maxMarkdownNesting')}`,
  });
}

/**
 * Render `template`'s entry over `context` into a document's content. Generic over the context:
 * used for reports, diffs and histories. Template errors become `template/render-error` (file and
 * line); a value printed without a value filter is refused before anything renders
 * (`template/raw-output`); a misplaced value is `template/bad-placement`, nesting deeper than
 * `maxMarkdownNesting` is `limit/markdown-nesting`.
 */
export function composeContent(template: LoadedTemplate, context: object, options: ComposeOptions = {}): { content?: DocumentContent; diagnostics: Diagnostic[] } {
  const library = [template, ...(options.library ?? []).filter((t) => templateKey(t) !== templateKey(template))];
  const entry = `${templateKey(template)}/${template.manifest.entry}`;
  const file = `${template.dir.replace(/\/$/, '')}/${template.manifest.entry}`;
  const values = new ValueTable();
  const env = createEnvironment(library, values);
  if (env.diagnostics.length) return { diagnostics: env.diagnostics };
  let skeleton: string;
  try {
    skeleton = env.environment.render(entry, context);
  } catch (e) {
    return { diagnostics: [renderErrorDiagnostic(e, entry, library)] };
  }
  const limit = options.limits?.maxMarkdownNesting ?? DEFAULT_LIMITS.maxMarkdownNesting;
  // The prefix bound over-counts indentation (code blocks, continuation lines), so it only
  // refuses outright when far over the limit; the exact check runs on the tree.
  const bound = prefixNestingBound(skeleton);
  if (bound > limit * 4) return { diagnostics: [nestingDiagnostic(bound, limit, file)] };
  const { content, depth, diagnostics } = skeletonToContent(skeleton, values, file, options.signal, options.parse ?? sectionParser());
  if (diagnostics.length) return { diagnostics };
  if (depth > limit) return { diagnostics: [nestingDiagnostic(depth, limit, file)] };
  return { content, diagnostics: [] };
}

/** {@link composeContent}, with the content as one tree (small documents; renderers read the content section by section). */
export function composeTree(template: LoadedTemplate, context: object, options: ComposeOptions = {}): { tree?: Root; diagnostics: Diagnostic[] } {
  const { content, diagnostics } = composeContent(template, context, options);
  return content ? { tree: content.tree(), diagnostics } : { diagnostics };
}

/**
 * Compose a document from the machine twin it renders (a Report, a ReportDiff or a
 * ReportHistory): checks the
 * template is of the right kind, caps the text shown at `maxDocumentFieldLength` (a 20 MB
 * message would be thousands of pages; the twin JSON keeps the full text), then renders the
 * template over the view built from the capped value.
 */
export function composeFor<T>(
  kind: ComposedDocument['kind'],
  value: T,
  template: LoadedTemplate,
  view: (shown: T) => { context: object; frontmatter: Record<string, unknown>; meta: ReportMetadata },
  options: ComposeOptions = {},
): { document?: ComposedDocument; diagnostics: Diagnostic[] } {
  if (template.manifest.kind !== kind) {
    return {
      diagnostics: [diag('template/wrong-kind', 'error', `template ${templateKey(template)} renders a ${template.manifest.kind}, not a ${kind}`, {
        file: `${template.dir}/manifest.json`, pointer: '/kind', expected: `a template of kind "${kind}"`,
        fix: kind === 'report' ? 'select a report template with --template' : kind === 'diff' ? 'select a diff template, e.g. scan-diff@^1' : 'select a history template, e.g. history@^1',
      })],
    };
  }
  const cap = options.limits?.maxDocumentFieldLength ?? DEFAULT_LIMITS.maxDocumentFieldLength;
  const v = view(truncateStrings(value, cap, 'maxDocumentFieldLength', `; full text in ${kind}.json`));
  const composed = composeContent(template, v.context, options);
  if (!composed.content) return { diagnostics: composed.diagnostics };
  return { document: { kind, meta: v.meta, frontmatter: v.frontmatter, content: composed.content }, diagnostics: composed.diagnostics };
}
