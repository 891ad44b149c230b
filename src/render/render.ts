/**
 * The render stage: a planned document to its output files (md, html, pdf, json, and sarif for
 * reports). The only stage that may start a browser, and it does so only through the provider
 * it is given, under one deadline (`signal`) for the whole render.
 */
import type { OutputFile } from '../bundle/write.ts';
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import type { ReportDiff } from '../model/diff.ts';
import type { Limits } from '../model/limits.ts';
import type { Report, ReportMetadata } from '../model/report.ts';
import { renderHtmlWithin } from './html/render-html-bounded.ts';
import type { BrowserResource } from './pdf/browser.ts';
import { toPdf } from './pdf/to-pdf.ts';
import { toOscal } from './oscal.ts';
import { toSarif } from './sarif.ts';

/** Output formats of a build. */
export type BuildFormat = 'md' | 'html' | 'pdf' | 'json' | 'sarif' | 'oscal';

/** Output formats of a diff. */
export type DiffFormat = 'md' | 'html' | 'pdf' | 'json';

/** What rendering may use: the browser (only when a PDF is asked for), the deadline, progress. */
export interface RenderResources {
  /** Gives the browser to print in; called only when a PDF is rendered. */
  browser?: () => Promise<BrowserResource | Diagnostic>;
  /** Aborted when `renderTimeoutMs` is spent. */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** A document ready to render: its content and the facts shown around it. */
export interface PlannedDocument {
  base: 'report' | 'diff';
  markdown: string;
  /** The machine twin (report.json / diff.json). */
  twin: unknown;
  metadata: ReportMetadata;
  report?: Report;
  paper: 'A4' | 'Letter';
  limits: Limits;
}

/** Rendered files, the Chromium version when a PDF was printed, and the problems. */
export interface Rendered {
  files: OutputFile[];
  chromium?: string;
  diagnostics: Diagnostic[];
}

/** Stable JSON bytes for report.json and diff.json. */
export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8');
}

/**
 * Render one document's formats. HTML and PDF come from one HTML rendering, so their content
 * cannot drift apart.
 */
export async function renderDocument(doc: PlannedDocument, formats: readonly string[], resources: RenderResources = {}): Promise<Rendered> {
  const files: OutputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  let chromium: string | undefined;
  if (formats.includes('md')) files.push({ name: `${doc.base}.md`, bytes: Buffer.from(doc.markdown, 'utf8') });
  if (formats.includes('json')) files.push({ name: `${doc.base}.json`, bytes: jsonBytes(doc.twin) });
  if (!formats.includes('html') && !formats.includes('pdf')) return { files, diagnostics };
  const html = await renderHtmlWithin(doc.markdown, { metadata: doc.metadata, report: doc.report, interactive: true, limits: doc.limits, printParts: formats.includes('pdf') }, doc.limits.renderTimeoutMs, `${doc.base}.${formats.includes('html') ? 'html' : 'pdf'}`);
  diagnostics.push(...html.diagnostics);
  if (hasErrors(html.diagnostics)) return { files: [], diagnostics };
  if (formats.includes('html')) files.push({ name: `${doc.base}.html`, bytes: Buffer.from(html.html, 'utf8') });
  if (!formats.includes('pdf')) return { files, diagnostics };
  const browser = await (resources.browser?.() ?? Promise.resolve(diag('pdf/no-browser', 'error', 'no browser was provided to print the PDF', { fix: 'pass a browser, or leave pdf out of the formats' })));
  if ('code' in browser) return { files: [], diagnostics: [...diagnostics, browser] };
  const pdf = await toPdf(html.parts ?? [html.html], { browser, signal: resources.signal, metadata: doc.metadata, paper: doc.paper, limits: doc.limits, onProgress: resources.onProgress });
  diagnostics.push(...pdf.diagnostics);
  if (!pdf.pdf) {
    if (!hasErrors(pdf.diagnostics)) diagnostics.push(diag('pdf/failed', 'error', 'PDF rendering produced no document', { file: `${doc.base}.pdf`, fix: 'run again with AUDITMARK_DEBUG=1 and report the output; the previous outputs are intact' }));
    return { files: [], diagnostics };
  }
  chromium = pdf.chromium;
  files.push({ name: `${doc.base}.pdf`, bytes: pdf.pdf });
  return { files, chromium, diagnostics };
}

/** Render a report's formats, SARIF and OSCAL included (`baseline` gives SARIF its `baselineState`). */
export async function renderReport(doc: PlannedDocument & { report: Report }, formats: readonly string[], resources: RenderResources, baseline?: ReportDiff): Promise<Rendered> {
  const r = await renderDocument(doc, formats, resources);
  if (!hasErrors(r.diagnostics) && formats.includes('oscal')) r.files.push({ name: 'report.oscal.json', bytes: Buffer.from(toOscal(doc.report), 'utf8') });
  if (hasErrors(r.diagnostics) || !formats.includes('sarif')) return r;
  const s = toSarif(doc.report, { baseline });
  r.diagnostics.push(...s.diagnostics);
  if (hasErrors(s.diagnostics)) return { files: [], diagnostics: r.diagnostics };
  r.files.push(...s.files.map((f) => ({ name: f.name, bytes: Buffer.from(f.json, 'utf8') })));
  return r;
}

/**
 * The diff document's own metadata: its id, creation time and title, with the current report's
 * project facts. Never the current report's document id or date: the diff is another document.
 */
export function diffMetadata(diff: ReportDiff, current: ReportMetadata | undefined, template: { id: string; version: string }): ReportMetadata {
  const m = diff.metadata;
  const meta: ReportMetadata = {
    title: m.title,
    purpose: `Changes between ${diff.baseline.project} (${diff.baseline.documentId}) and ${diff.current.project} (${diff.current.documentId})`,
    description: 'What changed between two audit reports: new, fixed, updated and not assessed findings, checklist, waiver and OWASP changes.',
    project: m.project,
    documentVersion: current?.documentVersion ?? '1.0',
    documentStatus: current?.documentStatus ?? 'final',
    classification: m.classification,
    language: m.language,
    created: m.created,
    template,
    auditmarkVersion: m.auditmarkVersion,
    documentId: m.documentId,
  };
  for (const k of ['license', 'copyright', 'author', 'distributedBy', 'repository'] as const) if (m[k] !== undefined) meta[k] = m[k];
  return meta;
}
