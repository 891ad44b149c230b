/**
 * YAML frontmatter: written with the `yaml` package (fixed key order, every string quoted so
 * `yes`, `null` or `2024-01-01` stay strings in any YAML reader), and read back with
 * gray-matter configured so that only YAML is ever parsed. gray-matter 4 runs `---js` and
 * `---javascript` blocks through `eval`, and an engine set to `false` falls back to that
 * javascript engine; so every engine name it knows is replaced by one that throws, the
 * language after `---` is checked before gray-matter sees the text, and YAML goes to the
 * `yaml` package (core schema, duplicate keys rejected, aliases disabled).
 */
import matter from 'gray-matter';
import { parseDocument, stringify } from 'yaml';
import { DiagnosticError, diag } from '../model/diagnostics.ts';
import type { Report } from '../model/report.ts';

/** The frontmatter of a report, in the order it is written. */
export interface ReportFrontmatter {
  title: string;
  purpose: string;
  description: string;
  file: string;
  project: string;
  repository?: string;
  created: string;
  git?: { commit: string; date: string };
  distributed_by?: string;
  author?: string;
  application_version?: string;
  document_version: string;
  'SPDX-License-Identifier'?: string;
  copyright?: string;
  status: { document: string; audit: string };
  classification: string;
  language: string;
  template: { id: string; version: string };
  auditmark_version: string;
  document_id: string;
  inputs: Array<{ path: string; kind: string; sha256: string }>;
}

/**
 * The frontmatter object of a report, keys in their fixed order, optional keys only when the
 * report has a value (never a placeholder such as "TBD").
 */
export function reportFrontmatter(report: Report, file = 'report.md'): ReportFrontmatter {
  const m = report.metadata;
  const fm: Record<string, unknown> = {
    title: m.title,
    purpose: m.purpose,
    description: m.description,
    file,
    project: m.project,
  };
  const opt = (key: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '') fm[key] = value;
  };
  opt('repository', m.repository);
  fm.created = m.created;
  if (m.git) fm.git = { commit: m.git.commit, date: m.git.date };
  opt('distributed_by', m.distributedBy);
  opt('author', m.author);
  opt('application_version', m.appVersion);
  fm.document_version = m.documentVersion;
  opt('SPDX-License-Identifier', m.license);
  opt('copyright', m.copyright);
  fm.status = { document: m.documentStatus, audit: report.status.overall };
  fm.classification = m.classification;
  fm.language = m.language;
  fm.template = { id: m.template.id, version: m.template.version };
  fm.auditmark_version = m.auditmarkVersion;
  fm.document_id = m.documentId;
  fm.inputs = report.inputs.map((i) => ({ path: i.path, kind: i.kind, sha256: i.sha256 }));
  return fm as unknown as ReportFrontmatter;
}

/**
 * Serialise frontmatter data as a `---` block ending in a newline. Strings are always
 * double-quoted; keys keep the object's insertion order; no line folding.
 */
export function stringifyFrontmatter(data: object): string {
  const yaml = stringify(data, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0, aliasDuplicateObjects: false });
  return `---\n${yaml}---\n`;
}

/** Parse YAML safely: core schema, duplicate keys rejected, no aliases, no custom tags. */
export function parseYamlSafe(text: string, file?: string): unknown {
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, customTags: [], prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new DiagnosticError(diag('frontmatter/invalid-yaml', 'error', `frontmatter is not valid YAML: ${first.message.split('\n')[0]}`, {
      file, line: pos ? pos.line + 1 : undefined, column: pos?.col,
      expected: 'a YAML mapping (core schema, unique keys, no aliases)', fix: 'correct the YAML between the --- delimiters',
    }));
  }
  try {
    return doc.toJS({ maxAliasCount: 0 });
  } catch (e) {
    throw new DiagnosticError(diag('frontmatter/invalid-yaml', 'error', `frontmatter YAML uses aliases, which are not allowed: ${(e as Error).message}`, {
      file, expected: 'plain YAML without anchors and aliases', fix: 'write the values out instead of using &anchor / *alias',
    }));
  }
}

function refuse(language: string, file?: string): never {
  throw new DiagnosticError(diag('frontmatter/engine-not-allowed', 'error', `frontmatter language "${language}" is not allowed; only YAML is read`, {
    file, line: 1, expected: 'a line with exactly --- (YAML frontmatter)', fix: 'remove the language name after the opening ---; write the metadata as YAML',
  }));
}

/** Every engine name gray-matter 4 ships or aliases, replaced by one that refuses. */
const REFUSED_ENGINES = ['js', 'javascript', 'coffee', 'coffeescript', 'cson', 'json', 'toml', 'yml'] as const;

/**
 * Read a document's frontmatter. Throws `DiagnosticError` (`frontmatter/engine-not-allowed`,
 * `frontmatter/unclosed`, `frontmatter/invalid-yaml`, `frontmatter/not-a-mapping`) instead of
 * ever evaluating anything. A document without frontmatter gives `data: {}`.
 */
export function readFrontmatter(text: string, file?: string): { data: Record<string, unknown>; content: string } {
  const src = text.replace(/^\uFEFF/, '');
  const firstLineEnd = src.search(/\r?\n/);
  const firstLine = firstLineEnd === -1 ? src : src.slice(0, firstLineEnd);
  if (!firstLine.startsWith('---') || firstLine.startsWith('----')) return { data: {}, content: src };
  // gray-matter takes whatever follows `---` on the first line as the engine name.
  const language = firstLine.slice(3).trim();
  if (language !== '' && language.toLowerCase() !== 'yaml') refuse(language, file);
  const rest = firstLineEnd === -1 ? '' : src.slice(firstLineEnd);
  if (!/\r?\n---[ \t]*(?:\r?\n|$)/.test(rest)) {
    throw new DiagnosticError(diag('frontmatter/unclosed', 'error', 'frontmatter opened with --- is never closed', {
      file, line: 1, expected: 'a closing --- line after the YAML', fix: 'add a line with --- after the metadata',
    }));
  }
  const engines: Record<string, (s: string) => object> = { yaml: (s) => asMapping(parseYamlSafe(s, file), file) };
  for (const name of REFUSED_ENGINES) engines[name] = () => refuse(name, file);
  // Passing options also keeps gray-matter from caching results in its module-global cache.
  const parsed = matter(src, { language: 'yaml', engines } as unknown as Parameters<typeof matter>[1]);
  return { data: parsed.data as Record<string, unknown>, content: parsed.content };
}

function asMapping(value: unknown, file?: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new DiagnosticError(diag('frontmatter/not-a-mapping', 'error', 'frontmatter must be a YAML mapping of keys to values', {
      file, expected: 'key: value lines', fix: 'write the frontmatter as a mapping',
    }));
  }
  return value as Record<string, unknown>;
}
