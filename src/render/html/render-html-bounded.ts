import { Worker } from 'node:worker_threads';
import { diag } from '../../model/diagnostics.ts';
import { limitHint } from '../../model/limits.ts';
import type { HtmlDocument, HtmlOptions } from './to-html.ts';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);
const ENTRY = new URL('./render-html-worker.ts', import.meta.url).href;

/**
 * `renderHtml` under a deadline. Markdown parsing is synchronous and, for a pathological
 * document (a 20 MB finding with the field limit raised), can run for minutes; in a worker it
 * can be stopped when `renderTimeoutMs` is spent, so the render limit bounds the whole render,
 * not only Chromium's printing. The result is plain data, cloned back from the worker.
 */
export function renderHtmlWithin(markdown: string, options: HtmlOptions, timeoutMs: number, file: string): Promise<HtmlDocument> {
  return new Promise((resolve) => {
    const empty = { html: '', headings: [] };
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY, markdown, options } });
    let settled = false;
    const settle = (doc: HtmlDocument) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(doc);
    };
    const timer = setTimeout(() => settle({
      ...empty,
      diagnostics: [diag('render/timeout', 'error', `rendering the document took longer than renderTimeoutMs (${timeoutMs} ms); nothing was written`, {
        file, expected: `at most ${timeoutMs} ms`, fix: limitHint('renderTimeoutMs'),
      })],
    }), timeoutMs);
    worker.once('message', (doc: HtmlDocument) => settle(doc));
    worker.once('error', (e) => settle({
      ...empty,
      diagnostics: [diag('render/failed', 'error', `rendering the HTML failed: ${e.message}`, { file, fix: 'run again with AUDITMARK_DEBUG=1 and report the output; the previous outputs are intact' })],
    }));
    worker.once('exit', (code) => {
      if (!settled) settle({ ...empty, diagnostics: [diag('render/failed', 'error', `the HTML renderer stopped (exit ${code})`, { file, fix: 'raise the memory available to node, or lower maxFieldLength' })] });
    });
  });
}
