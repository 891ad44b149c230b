/**
 * The PDF stage of the 1,000-finding full build on its own: launching Chromium, printing that
 * document's print parts and finishing the PDF (contents numbers, stamps, outline, the same
 * attachments, save) exactly as a build does it (`toPdf`), and nothing else. The document is
 * composed and rendered to its parts first, untimed. The script prints the wall time and node's
 * CPU of each step; `bench/run.ts` samples Chromium's CPU. Together they say how much of a
 * build's time the PDF stage alone needs on this machine.
 *   node --import tsx bench/print-floor.ts 1000
 */
import { renderHtml } from '../src/render/html/to-html.ts';
import { openBrowser } from '../src/render/pdf/browser.ts';
import { toPdf } from '../src/render/pdf/to-pdf.ts';
import { jsonBytes } from '../src/render/render.ts';
import { syntheticPlan } from '../tests/helpers/documents.ts';

const n = Number(process.argv[2] ?? 1000);
const planned = syntheticPlan(n);
const parts = renderHtml(planned.document, { printParts: 'auto' }).parts!;
const attachments = [
  { name: 'report.json', bytes: jsonBytes(planned.report), mimeType: 'application/json', description: 'The machine twin.' },
  { name: 'inputs.json', bytes: jsonBytes({ documentId: planned.report.metadata.documentId, inputs: planned.report.inputs }), mimeType: 'application/json', description: 'The inputs.' },
];
const seconds = (a: number, b: number) => Number(((b - a) / 1000).toFixed(3));
const cpuSeconds = (c: NodeJS.CpuUsage) => Number(((c.user + c.system) / 1e6).toFixed(2));
const c0 = process.cpuUsage();
const t0 = performance.now();
const browser = await openBrowser({});
if ('code' in browser) throw new Error(browser.message);
const t1 = performance.now();
const c1 = process.cpuUsage();
let t2 = t1;
let c2 = c1;
const pdf = await toPdf(parts, {
  browser, metadata: planned.document.meta, paper: 'A4', attachments,
  onProgress: (done, total) => {
    if (done === total) [t2, c2] = [performance.now(), process.cpuUsage()];
  },
});
const t3 = performance.now();
const c3 = process.cpuUsage();
await browser.close();
if (!pdf.pdf) throw new Error(JSON.stringify(pdf.diagnostics));
console.log(JSON.stringify({
  findings: n, parts: parts.length, pages: pdf.pages,
  launchSeconds: seconds(t0, t1), printSeconds: seconds(t1, t2), afterPrintSeconds: seconds(t2, t3), seconds: seconds(t0, t3),
  nodeCpuSeconds: cpuSeconds(process.cpuUsage(c0)), launchCpu: cpuSeconds({ user: c1.user - c0.user, system: c1.system - c0.system }), afterPrintCpu: cpuSeconds({ user: c3.user - c2.user, system: c3.system - c2.system }),
}));
