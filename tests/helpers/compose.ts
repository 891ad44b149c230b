/**
 * Compose helpers for tests: a document's Markdown rendering, and a template built from files.
 */
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { composeTree, type ComposeOptions, type ComposedDocument } from '../../src/compose/compose.ts';
import type { LoadedTemplate } from '../../src/compose/template-registry.ts';
import { documentMarkdown, treeToMarkdown } from '../../src/render/markdown.ts';
import { readFrontmatter } from '../../src/settings/frontmatter.ts';

/** A template from in-memory files. */
export function tmpl(files: Record<string, string>, id = 't', version = '1.0.0', entry = 'main.md.njk', kind: 'report' | 'diff' = 'report'): LoadedTemplate {
  return { id, version, dir: `/tpl/${id}/${version}`, files, manifest: { id, version, description: 'test', kind, entry, needs: [], sets: [] } };
}

/** A template's tree over `context`, and its Markdown ('' when composing failed). */
export function composeMarkdown(template: LoadedTemplate, context: object, options: ComposeOptions = {}) {
  const r = composeTree(template, context, options);
  return { ...r, markdown: r.tree ? treeToMarkdown(r.tree) : '' };
}

/** The Markdown file of a composed document ('' when there is none). */
export function markdownOf(r: { document?: ComposedDocument }): string {
  return r.document ? documentMarkdown(r.document) : '';
}

/** Parse Markdown as any GFM reader would (independent of auditmark's own parser module). */
export function parseGfm(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** Parse a Markdown file's body (frontmatter removed) as GFM. */
export function parseBody(markdown: string): Root {
  return parseGfm(readFrontmatter(markdown).content);
}
