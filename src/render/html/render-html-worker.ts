import { parentPort, workerData } from 'node:worker_threads';
import { renderHtml, type HtmlOptions } from './to-html.ts';

// Worker body of renderHtmlWithin: render and post the plain-data result back.
const { markdown, options } = workerData as { markdown: string; options: HtmlOptions };
parentPort?.postMessage(renderHtml(markdown, options));
