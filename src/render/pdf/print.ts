/**
 * Printing HTML pages to PDF bytes in Chromium, offline, a few tabs at a time, under two time
 * limits: `printTimeoutMs` per part and the render deadline (`signal`) for all of them.
 */
import type { Page } from 'puppeteer-core';
import { diag, type Diagnostic } from '../../model/diagnostics.ts';
import { limitHint, type Limits } from '../../model/limits.ts';
import type { BrowserResource } from './browser.ts';

/** Page margins leave room for the stamped running header and footer. */
export const MARGIN = { top: '20mm', bottom: '20mm', left: '15mm', right: '15mm' };

/** A time limit was exceeded. */
export class TimeoutFailure extends Error {
  constructor(readonly limit: 'printTimeoutMs' | 'renderTimeoutMs', readonly value: number, readonly part?: number) {
    super(`${limit} ${value} ms exceeded`);
  }
}

/** What {@link printParts} needs. */
export interface PrintOptions {
  browser: BrowserResource;
  paper: 'A4' | 'Letter';
  limits: Limits;
  signal?: AbortSignal;
  /** Parts printed at the same time, each in its own tab. */
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
  /** Requests the pages tried to make (all aborted). */
  blocked: string[];
  /** Tagged PDF with Chromium's outline (a one-part document), or neither (parts with heading marks). */
  tagged: boolean;
  /** Called with each part's bytes as soon as it is printed (parts may finish out of order). */
  onPrinted?: (index: number, bytes: Uint8Array) => void;
  /** Called when Chromium has been asked to print a part (its content is loaded): it now works on its own for a while. */
  onPrinting?: (index: number) => void;
}

/** Rejects when `signal` aborts (the render deadline). */
function aborted(signal: AbortSignal | undefined, limits: Limits): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    const fail = () => reject(new TimeoutFailure('renderTimeoutMs', limits.renderTimeoutMs));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, failure: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Open a tab locked down for printing untrusted HTML: no JavaScript, offline, and every request
 * that is not an in-memory `data:` URL aborted and recorded.
 */
async function lockedPage(resource: BrowserResource, blocked: string[]): Promise<Page> {
  const page = await resource.browser.newPage();
  await page.setJavaScriptEnabled(false);
  await page.setOfflineMode(true);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:')) {
      void request.continue();
      return;
    }
    blocked.push(url);
    void request.abort('blockedbyclient');
  });
  return page;
}

/**
 * Print every page; the bytes come back in order. Throws {@link TimeoutFailure} or Chromium's
 * error; the caller kills the browser then, so nothing is left running.
 */
export async function printParts(htmls: readonly string[], options: PrintOptions): Promise<Uint8Array[]> {
  const total = htmls.length;
  const printed: Uint8Array[] = new Array(total);
  let next = 0;
  let done = 0;
  options.onProgress?.(0, total);
  const worker = async (): Promise<void> => {
    for (let i = next++; i < total; i = next++) {
      // A fresh tab per part: a reused tab kept every earlier part's layout alive and its
      // renderer grew to ~330 MB for a 2,000-finding document (measured); closing frees it.
      const page = await lockedPage(options.browser, options.blocked);
      const job = (async () => {
        await page.setContent(htmls[i]!, { waitUntil: 'load', timeout: options.limits.printTimeoutMs });
        const pdf = page.pdf({ format: options.paper, printBackground: true, margin: MARGIN, outline: options.tagged, tagged: options.tagged, timeout: options.limits.printTimeoutMs });
        options.onPrinting?.(i);
        return pdf;
      })();
      printed[i] = await withTimeout(job, options.limits.printTimeoutMs, () => new TimeoutFailure('printTimeoutMs', options.limits.printTimeoutMs, i + 1));
      options.onPrinted?.(i, printed[i]!);
      await page.close();
      done++;
      options.onProgress?.(done, total);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency, total));
  // On failure the open tabs are not awaited: a stuck renderer may never answer, and the
  // caller kills the browser.
  await Promise.race([Promise.all(Array.from({ length: concurrency }, worker)), aborted(options.signal, options.limits)]);
  return printed;
}

/** The diagnostic for a failed or timed-out print. */
export function printFailure(e: unknown, total: number): Diagnostic {
  if (e instanceof TimeoutFailure) {
    const what = e.limit === 'printTimeoutMs' ? `Printing part ${e.part} of ${total}` : `Rendering the PDF (${total} parts)`;
    return diag('pdf/timeout', 'error', `${what} took longer than ${e.limit} (${e.value} ms); no PDF was written.`, { expected: `at most ${e.value} ms`, fix: limitHint(e.limit) });
  }
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (e instanceof Error && e.name === 'TimeoutError') {
    return diag('pdf/timeout', 'error', `Chromium timed out while printing: ${message}; no PDF was written.`, { fix: limitHint('printTimeoutMs') });
  }
  return diag('pdf/print-failed', 'error', `Chromium failed while printing: ${message}; no PDF was written.`, { fix: 'Run again; if it persists, try another browser with --chrome <path>.' });
}
