/**
 * One real Chromium per test file, opened on first use and closed in `afterAll`, so browser tests
 * do not pay a launch per case.
 */
import { openBrowser, type BrowserResource } from '../../src/render/pdf/browser.ts';

let shared: Promise<BrowserResource> | undefined;

/** The test file's browser (launched on first call; a launch failure fails the test). */
export async function testBrowser(): Promise<BrowserResource> {
  // A render that timed out kills its browser: open a new one for the next case.
  if (shared && !(await shared).browser.connected) shared = undefined;
  shared ??= openBrowser().then((b) => {
    if ('code' in b) throw new Error(`${b.code}: ${b.message}`);
    return b;
  });
  return shared;
}

/** Close the test file's browser (call from afterAll). */
export async function closeTestBrowser(): Promise<void> {
  const b = shared;
  shared = undefined;
  if (b) await (await b).close();
}
