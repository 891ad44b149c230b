/**
 * The shipped templates are compiled and linted when auditmark is built
 * (scripts/shipped-templates.ts → dist/shipped-templates.json), and src/compose/environment.ts
 * takes a file from that record only when its name and text are exactly those recorded. These
 * tests fail when the record is stale or incomplete, when a document composes differently with
 * it than without it, when it is not used, or when an edited template is not compiled and linted
 * from its own text.
 */
import { readFileSync } from 'node:fs';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { syntheticBandit } from '../../bench/synthetic-bandit.ts';
import { SHIPPED_TEMPLATES_FILE, shippedTemplateRecord } from '../../scripts/shipped-templates.ts';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import type { LoadedTemplate } from '../../src/compose/template-registry.ts';
import { planBuild } from '../../src/plan.ts';
import { documentMarkdown } from '../../src/render/markdown.ts';

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const scans = [{ file: 'synthetic-bandit.json', bytes: Buffer.from(syntheticBandit(50)) }];
const NOW = new Date('2026-11-20T09:00:00Z');

/** Calls of Nunjucks' compiler while `fn` runs (the environment compiles through this module). */
function compiles<T>(fn: () => T): { value: T; count: number } {
  // `nunjucks.compiler` is exported at run time, not in @types/nunjucks.
  const compiler = (nunjucks as unknown as { compiler: { compile: (...args: unknown[]) => string } }).compiler;
  const original = compiler.compile;
  let count = 0;
  compiler.compile = (...args: unknown[]) => (count++, original.apply(compiler, args));
  try {
    return { value: fn(), count };
  } finally {
    compiler.compile = original;
  }
}

/** The shipped templates with one changed byte in every .njk file (a Nunjucks comment at the end): never in the record. */
function edited(list: readonly LoadedTemplate[], extra: string): LoadedTemplate[] {
  return list.map((t) => ({ ...t, files: Object.fromEntries(Object.entries(t.files).map(([p, src]) => [p, p.endsWith('.njk') ? `${src}${extra}` : src])) }));
}

describe('the shipped-template record', () => {
  it('holds every shipped template file, as the build wrote it (else run `npm run build`)', () => {
    const record = shippedTemplateRecord();
    const files = templates.flatMap((t) => Object.keys(t.files).filter((p) => p.endsWith('.njk')));
    expect(Object.keys(record.compiled)).toHaveLength(files.length);
    expect(record.lintClean).toHaveLength(files.length);
    expect(JSON.parse(readFileSync(SHIPPED_TEMPLATES_FILE, 'utf8'))).toEqual(record);
  });

  it('composes a report without compiling a shipped template, to the bytes compiling it gives', () => {
    const fromRecord = compiles(() => planBuild({ scans, templates, now: NOW, auditmarkVersion: 'test' }));
    expect(fromRecord.count).toBe(0);
    // A trailing Nunjucks comment renders nothing, and makes every file one the record does not hold.
    const fromText = compiles(() => planBuild({ scans, templates: edited(templates, '{# edited #}'), now: NOW, auditmarkVersion: 'test' }));
    expect(fromText.count).toBeGreaterThan(0);
    expect(documentMarkdown(fromText.value.plan!.document)).toBe(documentMarkdown(fromRecord.value.plan!.document));
  });

  it('compiles and lints an edited template from its own text', () => {
    // A value printed without a value filter, appended to every file: the raw-output lint must still find it.
    const r = planBuild({ scans, templates: edited(templates, '{{ report.metadata.title }}'), now: NOW, auditmarkVersion: 'test' });
    expect(r.plan).toBeUndefined();
    expect(new Set(r.diagnostics.map((d) => d.code))).toEqual(new Set(['template/raw-output']));
  });
});
