/**
 * Composed documents for render tests: built by the real pipeline (ingest → enrich → compose)
 * from the example inputs or from the synthetic Bandit scans of `bench/`, or from a small
 * in-memory template when a test needs exact content.
 */
import { readFileSync } from 'node:fs';
import { syntheticBandit } from '../../bench/synthetic-bandit.ts';
import { loadTemplates, SHIPPED_TEMPLATES_DIR } from '../../src/bundle/templates-fs.ts';
import { composeContent, type ComposedDocument } from '../../src/compose/compose.ts';
import type { ReportMetadata } from '../../src/model/report.ts';
import { planBuild, type BuildPlan } from '../../src/plan.ts';
import { tmpl } from './compose.ts';

const { templates } = loadTemplates([SHIPPED_TEMPLATES_DIR]);
const NOW = new Date('2026-11-20T09:00:00Z');

/** Document facts for hand-made documents. */
export const METADATA: ReportMetadata = JSON.parse(readFileSync(new URL('../fixtures/emit/metadata.json', import.meta.url), 'utf8'));

/** The build plan (report and document) of `n` synthetic Bandit findings (deterministic). */
export function syntheticPlan(n: number, options: { title?: string } = {}): BuildPlan {
  const r = planBuild({
    scans: [{ file: 'synthetic-bandit.json', bytes: Buffer.from(syntheticBandit(n)) }],
    templates, now: NOW, auditmarkVersion: 'test',
    ...(options.title ? { overrides: { document: { title: options.title } } } : {}),
  });
  if (!r.plan) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan;
}

/** The report document of `n` synthetic Bandit findings (deterministic). */
export function syntheticDocument(n: number, options: { title?: string } = {}): ComposedDocument {
  return syntheticPlan(n, options).document;
}

/** The document of a one-off template (Markdown skeleton with value filters) over `context`. */
export function templateDocument(skeleton: string, context: object, meta: Partial<ReportMetadata> = {}): ComposedDocument {
  const r = composeContent(tmpl({ 'main.md.njk': skeleton }), context);
  if (!r.content) throw new Error(JSON.stringify(r.diagnostics));
  return { kind: 'report', meta: { ...METADATA, ...meta }, frontmatter: {}, content: r.content };
}
