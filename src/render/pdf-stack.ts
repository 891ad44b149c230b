/**
 * The PDF stack (puppeteer-core, pdf-lib, fontkit: most of what auditmark could load) behind
 * dynamic `import()`s. Every caller outside `render/pdf/` reaches Chromium and the PDF writer
 * through these functions, so a build without a PDF, `auditmark --help` and a library user who
 * only normalises never load those modules. The signatures are the real ones (`typeof`).
 */
import type * as Browser from './pdf/browser.ts';
import type * as Pdf from './pdf/to-pdf.ts';

/** {@link Browser.openBrowser}, loading puppeteer-core on first use. */
export async function openBrowser(...args: Parameters<typeof Browser.openBrowser>): ReturnType<typeof Browser.openBrowser> {
  return (await import('./pdf/browser.ts')).openBrowser(...args);
}

/** {@link Browser.resolveBrowser}, loaded on first use. */
export async function resolveBrowser(...args: Parameters<typeof Browser.resolveBrowser>): ReturnType<typeof Browser.resolveBrowser> {
  return (await import('./pdf/browser.ts')).resolveBrowser(...args);
}

/** {@link Pdf.toPdf}, loading pdf-lib and fontkit on first use. */
export async function toPdf(...args: Parameters<typeof Pdf.toPdf>): ReturnType<typeof Pdf.toPdf> {
  return (await import('./pdf/to-pdf.ts')).toPdf(...args);
}
