/**
 * Reading a Markdown document's frontmatter (a report.md handed back to auditmark or a library
 * user): YAML only, through the one safe YAML parser; every other gray-matter engine refuses.
 */
import matter from 'gray-matter';
import { DiagnosticError, diag } from '../model/diagnostics.ts';
import { DEFAULT_LIMITS } from '../model/limits.ts';
import { parseYaml } from './yaml.ts';

/**
 * The frontmatter block through {@link parseYaml} with aliases off: any problem becomes one
 * `frontmatter/invalid-yaml` diagnostic at its line in the document (the block starts on line 2).
 */
function parseBlock(text: string, file?: string): unknown {
  const parsed = parseYaml(text, file ?? 'frontmatter', { maxYamlAliases: 0, maxJsonDepth: DEFAULT_LIMITS.maxJsonDepth });
  if (parsed.ok) return parsed.value;
  const first = parsed.diagnostics[0]!;
  throw new DiagnosticError(diag('frontmatter/invalid-yaml', 'error', `frontmatter is not valid YAML: ${first.message}`, {
    file, ...(first.line !== undefined ? { line: first.line + 1, column: first.column } : {}),
    expected: 'a YAML mapping (core schema, unique keys, no aliases)', fix: 'correct the YAML between the --- delimiters; write values out instead of &anchor / *alias',
  }));
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
  const engines: Record<string, (s: string) => object> = { yaml: (s) => asMapping(parseBlock(s, file), file) };
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
