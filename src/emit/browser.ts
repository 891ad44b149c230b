/**
 * Chromium resolution and the one browser per process that every PDF render shares.
 */
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { diag, DiagnosticError, type Diagnostic } from '../model/diagnostics.ts';

/** Where the browser came from, for the manifest and error messages. */
export type BrowserSource = 'explicit' | 'AUDITMARK_CHROME' | 'PUPPETEER_EXECUTABLE_PATH' | 'system' | '@sparticuz/chromium';

/** A resolved browser executable. */
export interface ResolvedBrowser {
  path: string;
  source: BrowserSource;
}

/** Options of {@link resolveBrowser}. */
export interface ResolveBrowserOptions {
  /** `--chrome <path>` from the command line. */
  explicitPath?: string;
  /** Environment to read `AUDITMARK_CHROME` / `PUPPETEER_EXECUTABLE_PATH` from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Override the list of system paths probed (tests). */
  systemPaths?: readonly string[];
  /** Skip the bundled `@sparticuz/chromium` fallback (tests). */
  skipBundled?: boolean;
}

/** System Chrome/Chromium locations probed, in order. */
export const SYSTEM_BROWSER_PATHS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

const INSTALL_HINT =
  'Install one of: the optional dependency @sparticuz/chromium (Linux x64/arm64; `npm ci` installs it unless optional dependencies are omitted), ' +
  'a system Chromium (`apt-get install chromium` / `dnf install chromium`), or Google Chrome; or pass --chrome <path> / set AUDITMARK_CHROME to a Chrome or Chromium executable.';

/** True for a regular file this process may execute. */
function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Find a Chrome/Chromium executable: `--chrome` → `AUDITMARK_CHROME` → `PUPPETEER_EXECUTABLE_PATH`
 * → a system browser → `@sparticuz/chromium` (Linux only; unpacks itself to the temp directory).
 * An explicitly named path that does not exist is an error, never silently skipped.
 */
export async function resolveBrowser(options: ResolveBrowserOptions): Promise<ResolvedBrowser | Diagnostic> {
  const named: Array<[BrowserSource, string | undefined]> = [
    ['explicit', options.explicitPath],
    ['AUDITMARK_CHROME', options.env.AUDITMARK_CHROME],
    ['PUPPETEER_EXECUTABLE_PATH', options.env.PUPPETEER_EXECUTABLE_PATH],
  ];
  for (const [source, path] of named) {
    if (!path) continue;
    const where = source === 'explicit' ? '--chrome' : source;
    if (existsSync(path)) {
      // Checked here because puppeteer lets a spawn error (EACCES) escape as an unhandled
      // 'error' event that would crash the process instead of giving a diagnostic.
      if (isExecutableFile(path)) return { path, source };
      return diag('pdf/no-browser', 'error', `The browser named by ${where} is not an executable file: ${path}.`, {
        expected: 'the path of a Chrome or Chromium executable (a regular file with execute permission)',
        fix: `Point ${where} at the browser binary itself (e.g. /usr/bin/chromium), or \`chmod +x\` it. ${INSTALL_HINT}`,
      });
    }
    return diag('pdf/no-browser', 'error', `The browser named by ${where} does not exist: ${path}.`, {
      expected: 'the path of a Chrome or Chromium executable',
      fix: `Correct ${where}, or unset it to use a system browser or the bundled @sparticuz/chromium. ${INSTALL_HINT}`,
    });
  }
  for (const path of options.systemPaths ?? SYSTEM_BROWSER_PATHS) {
    if (isExecutableFile(path)) return { path, source: 'system' };
  }
  if (!options.skipBundled && process.platform === 'linux') {
    try {
      const mod = (await import('@sparticuz/chromium')) as { default: { executablePath(): Promise<string> } };
      const path = await mod.default.executablePath();
      if (path && existsSync(path)) return { path, source: '@sparticuz/chromium' };
    } catch {
      // Optional dependency absent or unpack failed: fall through to the diagnostic below.
    }
  }
  return diag('pdf/no-browser', 'error', 'No Chrome or Chromium was found to print the PDF.', {
    expected: 'a Chrome or Chromium executable',
    fix: INSTALL_HINT,
  });
}

/**
 * Flags added to puppeteer's defaults (which already turn off background networking, sync,
 * crash reporting and first-run UI, and set `--headless=new`) for printing untrusted documents.
 * Never `--allow-file-access-from-files` or `--disable-web-security`: the page must not reach
 * files or other origins.
 */
export function browserArgs(): string[] {
  const args = [
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-quic',
    '--metrics-recording-only',
    '--mute-audio',
    '--font-render-hinting=none',
    // puppeteer merges this list with its own disabled features (Translate, MediaRouter, ...).
    '--disable-features=DialMediaRouteProvider,AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,NetworkPrediction,PrivacySandboxSettings4',
  ];
  // Chromium refuses to start its sandbox as root (containers, CI). The page is already
  // offline, script-free and interception-guarded, so we drop the sandbox only then.
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  return args;
}

interface Shared {
  browser: Browser;
  resolved: ResolvedBrowser;
  version: string;
  userDataDir: string;
}

let shared: Promise<Shared> | undefined;

/** Options of {@link getBrowser}. */
export interface GetBrowserOptions {
  explicitPath?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Protocol timeout for every CDP call (ms). */
  protocolTimeoutMs?: number;
}

/**
 * The process-wide browser: launched once, reused by every document (a build writing a report
 * and a diff starts Chromium once). Throws a `DiagnosticError` (`pdf/no-browser`,
 * `pdf/launch-failed`) that the PDF stage turns back into data.
 */
export async function getBrowser(options: GetBrowserOptions = {}): Promise<{ browser: Browser; version: string; resolved: ResolvedBrowser }> {
  if (shared) {
    const s = await shared;
    if (s.browser.connected) return s;
    await closeBrowser();
  }
  shared = launch(options);
  try {
    return await shared;
  } catch (e) {
    shared = undefined;
    throw e;
  }
}

async function launch(options: GetBrowserOptions): Promise<Shared> {
  const resolved = await resolveBrowser({ explicitPath: options.explicitPath, env: options.env ?? process.env });
  if ('code' in resolved) throw new DiagnosticError(resolved);
  const userDataDir = mkdtempSync(join(tmpdir(), 'auditmark-chromium-'));
  try {
    const browser = await puppeteer.launch({
      executablePath: resolved.path,
      headless: true,
      args: browserArgs(),
      // A fresh profile per process, removed on close: nothing persists between builds.
      userDataDir,
      pipe: true,
      protocolTimeout: options.protocolTimeoutMs ?? 180_000,
      handleSIGINT: true,
      handleSIGTERM: true,
      handleSIGHUP: true,
    });
    // When Chromium is killed (timeout) its pipes close under puppeteer; without a listener the
    // resulting EPIPE/ECONNRESET would surface as an unhandled error in the caller's process.
    for (const stream of browser.process()?.stdio ?? []) stream?.on('error', () => undefined);
    const version = await browser.version();
    return { browser, resolved, version, userDataDir };
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new DiagnosticError(
      diag('pdf/launch-failed', 'error', `Chromium at ${resolved.path} (${resolved.source}) failed to start: ${(e as Error).message.split('\n')[0]}`, {
        fix: 'Check that the executable runs (`<path> --version`) and that its shared libraries are installed, or pass --chrome <path>.',
      }),
    );
  }
}

/**
 * Close the shared browser and remove its profile directory. If a graceful close does not
 * finish in 5 s the process is killed, so no Chromium is ever left behind.
 */
export async function closeBrowser(): Promise<void> {
  const pending = shared;
  shared = undefined;
  if (!pending) return;
  let s: Shared;
  try {
    s = await pending;
  } catch {
    return;
  }
  const proc = s.browser.process();
  try {
    await Promise.race([s.browser.close(), new Promise((_, reject) => setTimeout(() => reject(new Error('close timeout')), 5_000).unref())]);
  } catch {
    proc?.kill('SIGKILL');
  }
  if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  rmSync(s.userDataDir, { recursive: true, force: true });
}

/** Kill the shared browser at once (after a timeout or protocol error), then clean up. */
export async function killBrowser(): Promise<void> {
  const pending = shared;
  shared = undefined;
  if (!pending) return;
  try {
    const s = await pending;
    const proc = s.browser.process();
    // Detach first so the killed process's closing pipe is not reported as a transport error.
    await Promise.race([s.browser.disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000).unref())]);
    proc?.kill('SIGKILL');
    rmSync(s.userDataDir, { recursive: true, force: true });
  } catch {
    // Launch itself failed: nothing is running.
  }
}
