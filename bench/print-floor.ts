/**
 * The printing floor of the 1,000-finding full build: launching Chromium and printing that
 * document's print parts exactly as a build prints them (same tabs, same options), nothing else.
 * The document is composed and rendered to its parts first, untimed; the script prints the wall
 * time and node's CPU of the launch and the printing only, and `bench/run.ts` samples Chromium's
 * CPU. Together they say how much of a build's time the printing alone needs on this machine.
 *   node --import tsx bench/print-floor.ts 1000
 */
import { renderHtml } from '../src/render/html/to-html.ts';
import { openBrowser } from '../src/render/pdf/browser.ts';
import { printParts } from '../src/render/pdf/print.ts';
import { DEFAULT_LIMITS } from '../src/model/limits.ts';
import { PDFDocument } from 'pdf-lib';
import { syntheticDocument } from '../tests/helpers/documents.ts';

const n = Number(process.argv[2] ?? 1000);
const parts = renderHtml(syntheticDocument(n), { printParts: 'auto' }).parts!;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const browser = await openBrowser({});
if ('code' in browser) throw new Error(browser.message);
const printed = await printParts(parts.map((p) => p.html), { browser, paper: 'A4', limits: DEFAULT_LIMITS, concurrency: 2, blocked: [], tagged: !parts.some((p) => p.headingMarks) });
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
await browser.close();
let pages = 0;
for (const bytes of printed) pages += (await PDFDocument.load(bytes)).getPageCount();
console.log(JSON.stringify({ findings: n, parts: parts.length, pages, seconds: Number(seconds.toFixed(3)), nodeCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)) }));
