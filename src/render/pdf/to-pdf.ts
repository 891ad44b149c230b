/**
 * HTML print parts → one PDF: printed offline in Chromium; a one-part document is kept as
 * Chromium wrote it (tagged: structure tree, /Lang), several parts are merged with pdf-lib (the
 * structure trees of parts cannot be merged, so a merged PDF is untagged); then the table of
 * contents gets its links and page numbers, every page its running header and footer (as
 * artifacts), the document its outline, embedded evidence files and pinned metadata, so two
 * builds of the same inputs are byte-identical. The pdf-lib side is `pdf-writer.ts`.
 */
import type { Diagnostic } from '../../model/diagnostics.ts';
import { DEFAULT_LIMITS, type Limits } from '../../model/limits.ts';
import type { ReportMetadata } from '../../model/report.ts';
import type { HeadingRef, PrintPart } from '../html/to-html.ts';
import type { BrowserResource } from './browser.ts';
import type { PartAssembler } from './pdf-writer.ts';
import { printFailure, printParts } from './print.ts';
import type { PdfSigning } from './sign-pdf.ts';

/** A file embedded in the PDF (PDF/A-3 associated file, relationship Data). */
export interface PdfAttachment {
  name: string;
  bytes: Uint8Array;
  mimeType: string;
  description: string;
}

/** Options of {@link toPdf}. */
export interface PdfOptions {
  /** The browser to print in, owned by the caller (killed by a timeout, never closed here). */
  browser: BrowserResource;
  /** Aborted when the whole render's time (`renderTimeoutMs`) is spent. */
  signal?: AbortSignal;
  metadata: ReportMetadata;
  paper: 'A4' | 'Letter';
  limits?: Partial<Limits>;
  /** Called after each printed part (and once with 0 before the first); the CLI prints it on a TTY. */
  onProgress?: (done: number, total: number) => void;
  /** Parts printed at the same time, each in its own tab (default 2; see docs/html-pdf.md). */
  concurrency?: number;
  /** Deepest heading level in the PDF outline (default 3). */
  outlineDepth?: number;
  /** Files embedded in the PDF, so an archived PDF alone can be re-checked. */
  attachments?: readonly PdfAttachment[];
  /** Sign the PDF (PAdES) in the approver's signature box; `signer` is the name shown in the signature. */
  signing?: PdfSigning & { signer: string };
}

/** Result of {@link toPdf}: the PDF bytes, or no bytes and error diagnostics. */
export interface PdfResult {
  pdf?: Uint8Array;
  pages: number;
  /** True when the PDF keeps Chromium's structure tree (printed as one part). */
  tagged: boolean;
  /** `browser.version()` of the Chromium that printed it, for the manifest. */
  chromium?: string;
  /** Requests the page tried to make and the interception layer aborted. */
  blockedRequests: string[];
  diagnostics: Diagnostic[];
}

function normaliseParts(input: string | readonly (string | PrintPart)[]): PrintPart[] {
  const list = typeof input === 'string' ? [input] : input;
  return list.map((p) => (typeof p === 'string' ? { html: p, headings: [] as HeadingRef[] } : p));
}

/**
 * Print HTML (one page, or the print parts of `renderHtml`) to PDF. A part over
 * `printTimeoutMs` or a render past the deadline gives `pdf/timeout`, no bytes, and the browser
 * is killed so nothing is left running.
 */
export async function toPdf(input: string | readonly (string | PrintPart)[], options: PdfOptions): Promise<PdfResult> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const parts = normaliseParts(input);
  const blockedRequests: string[] = [];
  const chromium = options.browser.version;
  const arrived = new Map<number, Uint8Array>();
  let next = 0;
  let merging: Promise<void> = Promise.resolve();
  // pdf-lib and fontkit load synchronously (0.35 s here) once every tab of the first round has
  // been asked to print: Chromium then works on its own, while loading them any earlier held up
  // the protocol messages that open the tabs and load their content (the first tab opened
  // 0.35 s later, measured). On this 2-core machine the build as a whole gains nothing from the
  // order (Chromium's two renderers take both cores while the load runs); with a spare core the
  // load runs beside the printing instead of before it.
  let assembling: Promise<PartAssembler> | undefined;
  const writer = (): Promise<PartAssembler> => {
    if (!assembling) {
      assembling = import('./pdf-writer.ts').then((m) => m.PartAssembler.create(parts));
      // Observed at once: a load failure is reported by the awaits below, never as unhandled.
      assembling.catch(() => undefined);
    }
    return assembling;
  };
  const concurrency = options.concurrency ?? 2;
  const firstRound = Math.min(concurrency, parts.length);
  let printing = 0;
  // Parts are merged in order as they come back, while Chromium prints the next ones: the
  // merge (pdf-lib parses every object of every part) overlaps the printing instead of
  // following it.
  const mergeArrived = async (): Promise<void> => {
    const assembler = await writer();
    for (let bytes = arrived.get(next); bytes; bytes = arrived.get(next)) {
      arrived.delete(next);
      await assembler.add(bytes);
      next++;
    }
  };
  const printed = printParts(parts.map((p) => p.html), {
    browser: options.browser, paper: options.paper, limits, signal: options.signal, concurrency,
    onProgress: options.onProgress, blocked: blockedRequests, tagged: !parts.some((p) => p.headingMarks),
    onPrinting: () => {
      if (++printing === firstRound) void writer();
    },
    onPrinted: (i, bytes) => {
      arrived.set(i, bytes);
      merging = merging.then(mergeArrived);
    },
  });
  try {
    await printed;
  } catch (e) {
    // The merge of what did arrive no longer matters (and must not reject unobserved).
    void merging.catch(() => undefined);
    // A stuck or failed print leaves Chromium busy: kill it so no process outlives the render.
    await options.browser.kill();
    return { pages: 0, tagged: false, chromium, blockedRequests, diagnostics: [printFailure(e, parts.length)] };
  }
  await merging;
  const { pdf, pages, tagged } = await (await writer()).finish({
    metadata: options.metadata, chromium, outlineDepth: options.outlineDepth, attachments: options.attachments, signing: options.signing,
  });
  return { pdf, pages, tagged, chromium, blockedRequests, diagnostics: [] };
}
