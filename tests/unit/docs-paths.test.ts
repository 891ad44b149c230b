import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The documentation names files of this repository (`src/render/pdf/toc-links.ts`,
// `tests/e2e/pdf.test.ts`, `schemas/scan.schema.json`, …) so readers can check a claim against
// the code. Code moves; a name that no longer exists sends the reader nowhere and usually means
// the text around it describes code that is gone. These tests fail on every such name.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** README.md and every docs/*.md, as repository-relative paths. */
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/**
 * A repository path as the docs write it: one of the folders below, then path characters. The
 * class also takes the placeholder characters (`<id>`, `*`, `{a,b}`, `…`) so that a pattern is
 * read whole and skipped, never checked as its literal prefix. Not preceded by a path character,
 * so `C:/src/a.js`, `/tmp/tests/x` or a URL's `/docs/en/…` is not taken for one of ours.
 */
const REPO_PATH = /(?<![\w./\\-])(?:\.\/)?((?:src|tests|schemas|templates|docs)\/[\w.\-/<>*{}…$@,]*)/g;
const PLACEHOLDER = /[<>*{}…$]/;

/** Fenced code blocks whose content is data (scanner output, reports), not our files: their `src/x.py` is the scanned project's. */
const DATA_FENCE = /^(json|jsonc|jsonl|sarif)$/i;

/** Markdown link targets `](target)` and HTML `src="target"` / `href="target"`. */
const LINK = /\]\(([^)\s]+)\)|\b(?:src|href)="([^"]+)"/g;

interface Mention {
  doc: string;
  line: number;
  path: string;
}

/** Every repository path and relative link target `text` (the document `doc`) mentions, outside data code blocks. */
function mentions(doc: string, text: string): { paths: Mention[]; links: Mention[] } {
  const paths: Mention[] = [];
  const links: Mention[] = [];
  let fence: { marker: string; data: boolean } | undefined;
  text.split('\n').forEach((line, i) => {
    const open = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (open) {
      if (!fence) fence = { marker: open[1]!, data: DATA_FENCE.test(open[2] ?? '') };
      else if (line.trim().startsWith(fence.marker) && line.trim().replace(/[`~]/g, '') === '') fence = undefined;
      return;
    }
    if (fence?.data) return;
    for (const m of line.matchAll(REPO_PATH)) {
      const path = m[1]!.replace(/[.,:;]+$/, '');
      if (!PLACEHOLDER.test(path)) paths.push({ doc, line: i + 1, path });
    }
    if (fence) return;
    // Inline code shows syntax (`](`), not links.
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(LINK)) {
      const target = (m[1] ?? m[2]!).split('#')[0]!;
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target) || PLACEHOLDER.test(target)) continue;
      links.push({ doc, line: i + 1, path: join(dirname(doc), decodeURIComponent(target)) });
    }
  });
  return { paths, links };
}

const all = DOCS.map((doc) => mentions(doc, readFileSync(join(ROOT, doc), 'utf8')));
const missing = (list: Mention[]) => list.filter((m) => !existsSync(join(ROOT, m.path))).map((m) => `${m.doc}:${m.line}: ${m.path}`);

describe('file names in README.md and docs/*.md', () => {
  it('reads paths the way the docs write them', () => {
    const sample = [
      'Code: `src/render/html/to-html.ts`, see src/policy/exit-code.ts.',
      'Not ours: `C:/src/a.js`, /tmp/tests/x, https://example.org/docs/en/a.md; patterns: `templates/<id>/<semver>/`, `tests/corpus/*`.',
      '```json',
      '{ "path": "src/x.py" }',
      '```',
      '```ts',
      "import { x } from './src/index.ts';",
      '```',
      'Links: [limits](security.md#limits), [site](https://example.org), [top](#top), `](` is syntax.',
    ].join('\n');
    const found = mentions('docs/sample.md', sample);
    expect(found.paths.map((m) => `${m.line}: ${m.path}`)).toEqual(['1: src/render/html/to-html.ts', '1: src/policy/exit-code.ts', '7: src/index.ts']);
    expect(found.links.map((m) => `${m.line}: ${m.path}`)).toEqual(['9: docs/security.md']);
    expect(all.flatMap((m) => m.paths).length, 'README.md and docs/*.md name files of the repository').toBeGreaterThan(50);
  });

  it('every src/, tests/, schemas/, templates/ and docs/ path mentioned exists', () => {
    const bad = missing(all.flatMap((m) => m.paths));
    expect(bad, `paths that do not exist (find where the thing lives now, or drop the sentence if it is gone):\n${bad.join('\n')}`).toEqual([]);
  });

  it('every relative link and image target exists', () => {
    const bad = missing(all.flatMap((m) => m.links));
    expect(bad, `link targets that do not exist:\n${bad.join('\n')}`).toEqual([]);
  });
});
