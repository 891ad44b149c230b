/**
 * The render stage: a composed document (report, diff or history) to its output files (md, html,
 * pdf, json, and sarif and oscal for reports). The only stage that may start a browser, and it does so only through the provider
 * it is given, under one deadline (`signal`) for the whole render.
 */
import type { OutputFile } from '../bundle/write.ts';
import type { ComposedDocument } from '../compose/compose.ts';
import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import type { ReportDiff } from '../model/diff.ts';
import type { Limits } from '../model/limits.ts';
import type { Report } from '../model/report.ts';
import { limitHint } from '../model/limits.ts';
// Every renderer (Markdown and HTML with the mdast/hast utilities, SARIF with its Markdown help,
// OSCAL with uuid) loads on first use, like the PDF stack (`pdf-stack.ts`): a build loads only
// the renderers of the formats it writes.
import type { HtmlPage } from './html/to-html.ts';
import type { BrowserResource } from './pdf/browser.ts';
import type { PdfSigning } from './pdf/sign-pdf.ts';
import { toPdf } from './pdf-stack.ts';

/** Output formats of a build. */
export type BuildFormat = 'md' | 'html' | 'pdf' | 'json' | 'sarif' | 'oscal';

/** Output formats of a diff, and of a history. */
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
  /** The file stem: `report.md`, `diff.md`, `history.md`… */
  base: 'report' | 'diff' | 'history';
  /** The composed document: needed for md, html and pdf only (json, sarif, oscal come from `twin`). */
  document?: ComposedDocument;
  /** The machine twin (report.json / diff.json / history.json), also embedded in the PDF. */
  twin: unknown;
  /** Input hashes embedded in the PDF as `inputs.json` (the manifest's input list). */
  inputs?: readonly unknown[];
  paper: 'A4' | 'Letter';
  limits: Limits;
  /** `one` forces one-part (tagged) printing; default: one part up to a size, else parts. */
  pdfParts?: 'auto' | 'one';
  /** Sign the PDF (PAdES, `--sign-pdf`). */
  signing?: PdfSigning & { signer: string };
}

/** Rendered files, the Chromium version when a PDF was printed, and the problems. */
export interface Rendered {
  files: OutputFile[];
  chromium?: string;
  /** Whether the PDF is tagged (printed in one part). */
  tagged?: boolean;
  diagnostics: Diagnostic[];
}

/** Stable JSON bytes for report.json, diff.json and history.json. */
export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8');
}

function timedOut(file: string, limits: Limits): Diagnostic {
  return diag('render/timeout', 'error', `rendering the document took longer than renderTimeoutMs (${limits.renderTimeoutMs} ms); nothing was written`, {
    file, expected: `at most ${limits.renderTimeoutMs} ms`, fix: limitHint('renderTimeoutMs'),
  });
}

/**
 * Render one document's formats. Markdown, HTML and PDF are renderings of the same tree; HTML
 * and the PDF's print pages come from one HTML rendering.
 */
export async function renderDocument(doc: PlannedDocument, formats: readonly string[], resources: RenderResources = {}): Promise<Rendered> {
  const files: OutputFile[] = [];
  const twin = jsonBytes(doc.twin);
  // A caller that composed no document asks only for formats made from the twin: a bug otherwise.
  const document = (): ComposedDocument => {
    if (!doc.document) throw new Error(`rendering ${doc.base}: md, html and pdf need a composed document`);
    return doc.document;
  };
  // Markdown and HTML are written in one pass over the document's nodes, made section by
  // section: no renderer holds the whole tree (see DocumentContent).
  const wantsHtml = formats.includes('html') || formats.includes('pdf');
  const markdown = formats.includes('md') ? await import('./markdown.ts') : undefined;
  const toHtml = wantsHtml ? await import('./html/to-html.ts') : undefined;
  let md: Buffer | undefined;
  let html: HtmlPage | undefined;
  if (markdown || toHtml) {
    const mdWriter = markdown && new markdown.MarkdownWriter();
    const htmlWriter = toHtml && new toHtml.HtmlWriter(document().meta, { interactive: true, limits: doc.limits, ...(formats.includes('pdf') ? { printParts: doc.pdfParts ?? 'auto' } : {}) });
    try {
      for (const node of document().content.blocks(resources.signal)) {
        mdWriter?.add(node);
        htmlWriter?.add(node);
      }
      if (mdWriter) md = markdown.markdownFile(document().frontmatter, mdWriter);
      html = htmlWriter?.finish();
    } catch (e) {
      if (resources.signal?.aborted) return { files: [], diagnostics: [timedOut(`${doc.base}.${wantsHtml ? 'html' : 'md'}`, doc.limits)] };
      throw e;
    }
  }
  if (md) files.push({ name: `${doc.base}.md`, bytes: md });
  if (formats.includes('json')) files.push({ name: `${doc.base}.json`, bytes: twin });
  if (!html) return { files, diagnostics: [] };
  const diagnostics = [...html.diagnostics];
  if (formats.includes('html')) files.push({ name: `${doc.base}.html`, bytes: html.bytes });
  if (!formats.includes('pdf')) return { files, diagnostics };
  const browser = await (resources.browser?.() ?? Promise.resolve(diag('pdf/no-browser', 'error', 'no browser was provided to print the PDF', { fix: 'pass a browser, or leave pdf out of the formats' })));
  if ('code' in browser) return { files: [], diagnostics: [...diagnostics, browser] };
  // The PDF stack (pdf-lib, fontkit) loads only when a PDF is printed.
  const attachments = [
    { name: `${doc.base}.json`, bytes: twin, mimeType: 'application/json', description: `The machine twin of this document (${doc.base}.json of the bundle, byte for byte).` },
    ...(doc.inputs ? [{ name: 'inputs.json', bytes: jsonBytes({ documentId: document().meta.documentId, inputs: doc.inputs }), mimeType: 'application/json', description: 'Every input of this document with its sha256 (as in the bundle\'s manifest.json).' }] : []),
  ];
  const pdf = await toPdf(html.parts ?? [html.bytes.toString('utf8')], {
    browser, signal: resources.signal, metadata: document().meta, paper: doc.paper, limits: doc.limits, onProgress: resources.onProgress, attachments,
    ...(doc.signing ? { signing: doc.signing } : {}),
  });
  diagnostics.push(...pdf.diagnostics);
  if (!pdf.pdf) {
    if (!hasErrors(pdf.diagnostics)) diagnostics.push(diag('pdf/failed', 'error', 'PDF rendering produced no document', { file: `${doc.base}.pdf`, fix: 'run again with AUDITMARK_DEBUG=1 and report the output; the previous outputs are intact' }));
    return { files: [], diagnostics };
  }
  files.push({ name: `${doc.base}.pdf`, bytes: pdf.pdf });
  return { files, chromium: pdf.chromium, tagged: pdf.tagged, diagnostics };
}

/** Render a report's formats, SARIF and OSCAL included (`baseline` gives SARIF its `baselineState`). */
export async function renderReport(doc: PlannedDocument & { twin: Report }, formats: readonly string[], resources: RenderResources, baseline?: ReportDiff): Promise<Rendered> {
  const r = await renderDocument(doc, formats, resources);
  if (!hasErrors(r.diagnostics) && formats.includes('oscal')) r.files.push({ name: 'report.oscal.json', bytes: Buffer.from((await import('./oscal.ts')).toOscal(doc.twin), 'utf8') });
  if (hasErrors(r.diagnostics) || !formats.includes('sarif')) return r;
  const s = (await import('./sarif.ts')).toSarif(doc.twin, { baseline });
  r.diagnostics.push(...s.diagnostics);
  if (hasErrors(s.diagnostics)) return { files: [], diagnostics: r.diagnostics };
  r.files.push(...s.files.map((f) => ({ name: f.name, bytes: Buffer.from(f.json, 'utf8') })));
  return r;
}
