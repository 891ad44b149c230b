import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/model/limits.ts';

// Keeps the README's "Diagnostic codes" table and "Limits" table in step with the source:
// diagnostic codes are a public contract (scripts match on them), so a code added, renamed or
// removed in src/ must show up in the README in the same change.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = join(ROOT, 'README.md');
const CODE = /^[a-z][a-z-]*\/[a-z0-9][a-z0-9-]*$/;
const LEVELS = new Set(['error', 'warning', 'info']);

type Sources = Map<string, string>;

function readSources(): Sources {
  const out: Sources = new Map();
  for (const rel of readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })) {
    if (rel.endsWith('.ts')) out.set(`src/${rel.split('\\').join('/')}`, readFileSync(join(ROOT, 'src', rel), 'utf8'));
  }
  return out;
}

/**
 * The top-level arguments of the call whose `(` is at `open`, as source text. Strings, template
 * literals (with `${}`) and nested brackets are skipped, so commas inside them do not split.
 */
function callArgs(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '`') {
      i = skipTemplate(text, i);
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        if (text.slice(start, i).trim()) args.push(text.slice(start, i).trim());
        return args;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  throw new Error(`unterminated call at offset ${open}`);
}

/** Index of the closing backtick of the template literal opening at `i`. */
function skipTemplate(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '`') return i;
    else if (text.startsWith('${', i)) {
      let braces = 1;
      for (i += 2; i < text.length && braces > 0; i++) {
        if (text[i] === '`') i = skipTemplate(text, i);
        else if (text[i] === '{') braces++;
        else if (text[i] === '}') braces--;
      }
      i--;
    }
  }
  throw new Error('unterminated template literal');
}

/** Quoted string literals in a piece of source. */
function literals(expr: string): string[] {
  return [...expr.matchAll(/'([^'\\\n]*)'|"([^"\\\n]*)"/g)].map((m) => m[1] ?? m[2]!);
}

/** Every call of `name(` (not its declaration) in a file, as argument lists. */
function calls(text: string, name: string): string[][] {
  const out: string[][] = [];
  for (const m of text.matchAll(new RegExp(`(?<![\\w.$])${name}\\(`, 'g'))) {
    if (/function\s+$/.test(text.slice(Math.max(0, m.index - 20), m.index))) continue;
    out.push(callArgs(text, m.index + name.length));
  }
  return out;
}

interface Extracted {
  /** code → levels it is raised with (empty when the level is inherited, as in `{ ...d, code }`). */
  codes: Map<string, Set<string>>;
  /** `file:first argument` of every `diag(` whose code is not a literal. */
  dynamicSites: Set<string>;
}

/**
 * Codes whose `diag(` call takes the code from a variable: each family says where the possible
 * values come from. A new dynamic call site fails the test until it is listed here.
 */
const DYNAMIC: Record<string, (src: Sources) => string[]> = {
  // validateSchema(name, value, file, code = `schema/${name}`): every SchemaName by default, or the caller's code.
  'src/model/schema-validate.ts:code': (src) => {
    const union = /export type SchemaName\s*=([^;]+);/.exec(src.get('src/model/schema-validate.ts') ?? '');
    if (!union) throw new Error('SchemaName union not found in src/model/schema-validate.ts');
    const names = literals(union[1]!).map((n) => `schema/${n}`);
    const given = [...src.values()].flatMap((t) => calls(t, 'validateSchema')).flatMap((a) => (a[3] ? literals(a[3]) : []));
    return [...names, ...given];
  },
  // The errno → [code, fix] table, and its fallback.
  'src/emit/write-output.ts:c': (src) => [...(src.get('src/emit/write-output.ts') ?? '').matchAll(/\[\s*'([a-z-]+\/[a-z0-9-]+)'\s*,/g)].map((m) => m[1]!),
  // dateDiagnostics(dates, file, code)
  'src/enrich/checklist.ts:code': (src) => calls(src.get('src/enrich/checklist.ts') ?? '', 'dateDiagnostics').flatMap((a) => literals(a[2] ?? '')),
};

function extract(src: Sources): Extracted {
  const codes = new Map<string, Set<string>>();
  const add = (code: string, levels: Iterable<string>) => {
    const set = codes.get(code) ?? new Set<string>();
    for (const l of levels) set.add(l);
    codes.set(code, set);
  };
  const dynamicSites = new Set<string>();
  const dynamicLevels = new Map<string, Set<string>>();
  for (const [file, text] of src) {
    for (const args of calls(text, 'diag')) {
      const [codeArg = '', levelArg = ''] = args;
      const levels = literals(levelArg).filter((l) => LEVELS.has(l));
      const found = literals(codeArg).filter((s) => CODE.test(s));
      if (found.length > 0) {
        for (const c of found) add(c, levels);
      } else {
        const site = `${file}:${codeArg}`;
        dynamicSites.add(site);
        dynamicLevels.set(site, new Set([...(dynamicLevels.get(site) ?? []), ...levels]));
      }
    }
    // `{ ...d, code: 'input/not-json' }` re-labels an existing diagnostic and keeps its level.
    for (const m of text.matchAll(/\bcode:\s*'([a-z][a-z-]*\/[a-z0-9][a-z0-9-]*)'/g)) add(m[1]!, []);
  }
  for (const site of dynamicSites) {
    const family = DYNAMIC[site];
    if (family) for (const c of family(src)) add(c, dynamicLevels.get(site) ?? []);
  }
  return { codes, dynamicSites };
}

/**
 * The lines of every README section under a heading matching `title`, each up to the next heading
 * of the same or higher level (all of them, so a pasted block that repeats the heading still counts).
 */
function sections(markdown: string, title: RegExp): string[] {
  const lines = markdown.split('\n');
  const level = (l: string) => /^(#{1,6})\s/.exec(l)?.[1]?.length;
  const out: string[] = [];
  lines.forEach((line, start) => {
    const own = level(line);
    if (own === undefined || !title.test(line.replace(/^#+\s*/, ''))) return;
    const end = lines.findIndex((l, i) => i > start && (level(l) ?? 7) <= own);
    out.push(...lines.slice(start + 1, end === -1 ? undefined : end));
  });
  return out;
}

/** Rows of the Diagnostic codes tables: code → documented levels. */
function documentedCodes(lines: string[]): { rows: Map<string, Set<string>>; duplicates: string[] } {
  const rows = new Map<string, Set<string>>();
  const duplicates: string[] = [];
  for (const line of lines) {
    const m = /^\|\s*`([^`]+)`\s*\|([^|]*)\|/.exec(line);
    if (!m || !CODE.test(m[1]!)) continue;
    if (rows.has(m[1]!)) duplicates.push(m[1]!);
    rows.set(m[1]!, new Set(m[2]!.split(',').map((s) => s.trim()).filter(Boolean)));
  }
  return { rows, duplicates };
}

const src = readSources();
const extracted = extract(src);
const sourceCodes = [...extracted.codes.keys()].sort();

describe('diagnostic code extraction (self-check)', () => {
  it('finds the codes of every kind of call site', () => {
    expect(sourceCodes.length).toBeGreaterThanOrEqual(60);
    // Literal first arguments, the `code:` override, and each dynamic family.
    for (const known of ['input/empty', 'limit/json-depth', 'pdf/timeout', 'output/symlink', 'input/not-json', 'yaml/duplicate-key', 'yaml/parse-error', 'schema/scan', 'config/invalid', 'output/disk-full', 'output/write-failed', 'checklist/invalid-date']) {
      expect(sourceCodes, `extraction lost ${known}`).toContain(known);
    }
  });

  it('does not mistake other slash-separated strings for codes', () => {
    // Fallback rule ids of readers and SARIF fingerprint keys look like codes but are findings data.
    for (const notACode of ['snyk/no-id', 'sarif/no-rule-id', 'trivy/no-vulnerability-id', 'auditmark/v1']) {
      expect(sourceCodes).not.toContain(notACode);
    }
  });

  it('knows where every non-literal code comes from', () => {
    const unknown = [...extracted.dynamicSites].filter((s) => !(s in DYNAMIC));
    expect(unknown, `diag() called with a computed code at ${unknown.join(', ')}: add the family of codes it can take to DYNAMIC in this test`).toEqual([]);
    const stale = Object.keys(DYNAMIC).filter((s) => !extracted.dynamicSites.has(s));
    expect(stale, `DYNAMIC lists call sites that no longer exist: ${stale.join(', ')}`).toEqual([]);
  });

  it('reads the levels codes are raised with', () => {
    expect([...(extracted.codes.get('ingest/bad-field') ?? [])].sort()).toEqual(['error', 'warning']);
    expect([...(extracted.codes.get('waiver/expired') ?? [])]).toEqual(['warning']);
  });
});

describe('README.md documents every diagnostic code and limit', () => {
  const readme = existsSync(README) ? readFileSync(README, 'utf8') : '';
  const codeSection = sections(readme, /^Diagnostic codes\b/i);
  const { rows, duplicates } = documentedCodes(codeSection);

  it('has a "Diagnostic codes" section', () => {
    expect(existsSync(README), 'README.md is missing (the reference is drafted in docs/diagnostics.md)').toBe(true);
    expect(codeSection.length, 'README.md has no "Diagnostic codes" heading: merge docs/diagnostics.md into it').toBeGreaterThan(0);
    expect(rows.size, 'the "Diagnostic codes" section of README.md has no `| \`code\` | level | … |` rows: paste the tables of docs/diagnostics.md').toBeGreaterThan(0);
  });

  it('has a table row for every code the source can emit', () => {
    const undocumented = sourceCodes.filter((c) => !rows.has(c));
    expect(undocumented, `undocumented diagnostic codes (add a row to README.md "Diagnostic codes"): ${undocumented.join(', ')}`).toEqual([]);
  });

  it('documents no code that the source no longer emits', () => {
    const stale = [...rows.keys()].filter((c) => !extracted.codes.has(c)).sort();
    expect(stale, `README.md documents codes that no longer exist in src/: ${stale.join(', ')}`).toEqual([]);
    expect(duplicates, `codes with more than one row in README.md: ${duplicates.join(', ')}`).toEqual([]);
  });

  it('gives each code the levels the source raises it with', () => {
    const wrong = sourceCodes
      .filter((c) => (extracted.codes.get(c)?.size ?? 0) > 0 && rows.has(c))
      .map((c) => ({ code: c, source: [...extracted.codes.get(c)!].sort().join(', '), readme: [...rows.get(c)!].sort().join(', ') }))
      .filter((r) => r.source !== r.readme);
    expect(wrong, `level column differs from the source: ${wrong.map((w) => `${w.code} is ${w.source}, README says ${w.readme}`).join('; ')}`).toEqual([]);
  });

  it('lists every limit with its default value', () => {
    const lines = readme.split('\n');
    const missing = Object.entries(DEFAULT_LIMITS)
      .filter(([name, value]) => !lines.some((l) => l.includes(`\`${name}\``) && new RegExp(`(?<![\\d.])${value}(?![\\d.])`).test(l)))
      .map(([name, value]) => `${name} (${value})`);
    expect(missing, `limits missing from README.md or shown without their default: ${missing.join(', ')}`).toEqual([]);
  });
});
