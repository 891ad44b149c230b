/**
 * Chromium resolution, and the browser as a resource its owner opens and closes.
 */
import { accessSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Browser } from 'puppeteer-core';
import type * as Puppeteer from 'puppeteer-core';
import { diag, type Diagnostic } from '../../model/diagnostics.ts';

// puppeteer-core's CommonJS build (217 files), loaded with `require`: its ESM build (181 modules)
// through the ESM loader costs more on every PDF build (measured in a fresh `node`: `import`
// 347 ms wall / 385 ms CPU, `require` 236 / 266 ms; see `commonjs.ts` for pdf-lib's case).
const puppeteer = (createRequire(import.meta.url)('puppeteer-core') as typeof Puppeteer).default;

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
 * → a system browser → `@sparticuz/chromium` (Linux only; unpacked into a per-user folder, see
 * {@link bundledChromiumHome}).
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
    const bundled = await bundledChromium(options.env);
    if (bundled) return bundled;
  }
  return diag('pdf/no-browser', 'error', 'No Chrome or Chromium was found to print the PDF.', {
    expected: 'a Chrome or Chromium executable',
    fix: INSTALL_HINT,
  });
}

type SparticuzChromium = { default: { executablePath(input?: string): Promise<string> } };

/**
 * The per-user folder the bundled Chromium is unpacked into: `$XDG_CACHE_HOME/auditmark` when
 * that is set (an explicit choice of a persistent cache), else `<tmpdir>/auditmark-<uid>` (the
 * same lifetime as @sparticuz/chromium's own default, without its sharing). @sparticuz/chromium
 * itself unpacks into the shared system temp folder and reuses whatever `chromium` it finds
 * there: a binary another user extracted (mode 0700: "permission denied", a crash for everyone
 * else), a half-written one from a killed run, or one planted by another local user.
 */
export function bundledChromiumHome(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'auditmark');
  return join(tmpdir(), `auditmark-${process.getuid?.() ?? 'user'}`);
}

const launchFailed = (message: string, file: string, fix: string): Diagnostic => diag('pdf/launch-failed', 'error', message, { file, fix });
const HOME_FIX = 'Remove it (or fix its owner and mode), or set XDG_CACHE_HOME to a folder of your own, or pass --chrome <path>.';

/**
 * The folder must be a real directory (not a symlink) owned by this user and writable by nobody
 * else, so no other local user can replace the binary we are about to run.
 */
function privateDir(dir: string): Diagnostic | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    return launchFailed(`cannot create the folder for the bundled Chromium ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, dir, HOME_FIX);
  }
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    return launchFailed(`the folder for the bundled Chromium ${dir} is not a private directory of this user (a symlink, another owner, or writable by others); refusing to run a browser from it`, dir, HOME_FIX);
  }
  return undefined;
}

/** Remove unpack folders of runs that died mid-extraction (their pid is gone). */
function removeDeadUnpacks(home: string): void {
  for (const name of readdirSync(home)) {
    const m = /^\.unpack-(\d+)-/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(home, name), { recursive: true, force: true });
    }
  }
}

/**
 * @sparticuz/chromium unpacked into this user's own folder ({@link bundledChromiumHome}), one
 * folder per package version, made complete before it is used: the package unpacks into a fresh
 * `.unpack-<pid>-*` folder (it unpacks into `os.tmpdir()`, so TMPDIR points there for the
 * synchronous start of the call, where it computes every destination), which is then renamed
 * into place in one step. A killed extraction never leaves a half-written binary behind that a
 * later run would take. `undefined` when the optional package is not installed.
 */
async function bundledChromium(env: Readonly<Record<string, string | undefined>>): Promise<ResolvedBrowser | Diagnostic | undefined> {
  let mod: SparticuzChromium;
  let version: string;
  try {
    mod = (await import('@sparticuz/chromium')) as SparticuzChromium;
    const pkg = join(dirname(fileURLToPath(import.meta.resolve('@sparticuz/chromium'))), '..', '..', 'package.json');
    version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version.replace(/[^\w.-]/g, '_');
  } catch {
    return undefined;
  }
  const home = bundledChromiumHome(env);
  const problem = privateDir(home);
  if (problem) return problem;
  const final = join(home, `chromium-${version}`);
  const binary = join(final, 'chromium');
  if (!existsSync(binary)) {
    let work: string;
    try {
      removeDeadUnpacks(home);
      work = mkdtempSync(join(home, `.unpack-${process.pid}-`));
    } catch (e) {
      return launchFailed(`cannot unpack the bundled Chromium into ${home}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, home, HOME_FIX);
    }
    const saved = process.env.TMPDIR;
    let unpacking: Promise<string>;
    try {
      process.env.TMPDIR = work;
      unpacking = mod.default.executablePath();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    try {
      await unpacking;
      renameSync(work, final);
    } catch (e) {
      rmSync(work, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      // Another run finished the same version first: use theirs.
      if (!((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(binary))) {
        return launchFailed(`cannot unpack the bundled Chromium into ${home}: ${code ?? (e as Error).message.split('\n')[0]}`, home, 'Free disk space there, or set XDG_CACHE_HOME to a writable folder, or pass --chrome <path>.');
      }
    }
  }
  // Checked here because puppeteer lets a spawn error (EACCES, e.g. a noexec temp mount) escape
  // as an unhandled 'error' event that would crash the process instead of giving a diagnostic.
  if (!isExecutableFile(binary)) {
    return launchFailed(`the bundled Chromium ${binary} cannot be executed (is ${home} on a noexec mount?)`, binary, 'Set XDG_CACHE_HOME to a folder that allows execution, or pass --chrome <path>.');
  }
  return { path: binary, source: '@sparticuz/chromium' };
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

/** Options of {@link openBrowser}. */
export interface OpenBrowserOptions {
  /** `--chrome <path>`. */
  explicitPath?: string;
  /** Environment for resolution (`AUDITMARK_CHROME`, `PUPPETEER_EXECUTABLE_PATH`); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Protocol timeout for every CDP call (ms). */
  protocolTimeoutMs?: number;
  /**
   * Called once Chromium's process has been started, before puppeteer connects to it (or once
   * opening has failed before that): a caller with synchronous work to do awaits this, then
   * works while Chromium boots on another core.
   */
  onLaunch?: () => void;
}

/**
 * A running Chromium, owned by whoever opened it: `close()` it (or `await using` it) when done.
 * Printing tabs are opened on it with `browser.newPage()`; a render that times out calls
 * `kill()`, after which the resource is dead and `close()` is a no-op.
 */
export interface BrowserResource extends AsyncDisposable {
  readonly browser: Browser;
  /** `browser.version()`, recorded in the manifest. */
  readonly version: string;
  readonly resolved: ResolvedBrowser;
  /** Close gracefully (killed after 5 s) and remove the profile directory. Idempotent. */
  close(): Promise<void>;
  /** Kill at once (after a timeout or protocol error) and remove the profile directory. Idempotent. */
  kill(): Promise<void>;
}

/**
 * Resolve and launch Chromium with a fresh profile. Returns a diagnostic (`pdf/no-browser`,
 * `pdf/launch-failed`) instead of throwing, so callers keep problems as data.
 */
export async function openBrowser(options: OpenBrowserOptions = {}): Promise<BrowserResource | Diagnostic> {
  let resolved: ResolvedBrowser | Diagnostic;
  try {
    resolved = await resolveBrowser({ explicitPath: options.explicitPath, env: options.env ?? process.env });
  } catch (e) {
    // Nothing about finding a browser may end the run with a stack trace.
    return diag('pdf/no-browser', 'error', `looking for a browser failed: ${(e as Error).message.split('\n')[0]}`, { fix: INSTALL_HINT });
  }
  if ('code' in resolved) return resolved;
  // One folder per browser holds its profile and its own TMPDIR: Chromium puts scratch folders
  // (`.org.chromium.Chromium.*`) in TMPDIR and removes them only on a clean exit, so a browser
  // killed at a timeout would otherwise leave them in the user's temporary directory.
  let home: string | undefined;
  let userDataDir: string;
  let scratch: string;
  try {
    home = mkdtempSync(join(tmpdir(), 'auditmark-chromium-'));
    userDataDir = join(home, 'profile');
    scratch = join(home, 'tmp');
    mkdirSync(userDataDir);
    mkdirSync(scratch);
  } catch (e) {
    if (home) rmSync(home, { recursive: true, force: true });
    return launchFailed(`cannot create a Chromium profile directory in ${tmpdir()}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, tmpdir(), 'Make the temporary directory writable, or point TMPDIR at a writable directory.');
  }
  let browser: Browser;
  try {
    const launching = puppeteer.launch({
      executablePath: resolved.path,
      headless: true,
      args: browserArgs(),
      // A fresh profile per browser, removed on close: nothing persists between builds.
      userDataDir,
      env: { ...process.env, TMPDIR: scratch, TMP: scratch, TEMP: scratch },
      pipe: true,
      protocolTimeout: options.protocolTimeoutMs ?? 180_000,
      handleSIGINT: true,
      handleSIGTERM: true,
      handleSIGHUP: true,
    });
    // puppeteer spawns the process within the microtasks that follow the call (the profile
    // folder is ours, so it does no I/O first); a macrotask later the process exists.
    if (options.onLaunch) setImmediate(options.onLaunch);
    browser = await launching;
  } catch (e) {
    rmSync(home, { recursive: true, force: true });
    return launchFailed(`Chromium at ${resolved.path} (${resolved.source}) failed to start: ${(e as Error).message.split('\n')[0]}`, resolved.path, 'Check that the executable runs (`<path> --version`) and that its shared libraries are installed, or pass --chrome <path>.');
  }
  // When Chromium is killed (timeout) its pipes close under puppeteer; without a listener the
  // resulting EPIPE/ECONNRESET would surface as an unhandled error in the caller's process.
  for (const stream of browser.process()?.stdio ?? []) stream?.on('error', () => undefined);
  const proc = browser.process();
  let ended = false;
  // Retries: a renderer that is still dying may add a file while the folder is being removed.
  const cleanup = () => rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  /**
   * SIGKILL the whole process group (puppeteer starts Chromium as a group leader): killing only
   * the main process leaves its renderer and zygote children to exit on their own, still writing
   * to the profile folder that is being removed.
   */
  const killAll = () => {
    if (!proc?.pid) return;
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      proc.kill('SIGKILL');
    }
  };
  const close = async (): Promise<void> => {
    if (ended) return;
    ended = true;
    try {
      await Promise.race([browser.close(), new Promise((_, reject) => setTimeout(() => reject(new Error('close timeout')), 5_000).unref())]);
    } catch {
      killAll();
    }
    if (proc && proc.exitCode === null && proc.signalCode === null) killAll();
    await waitForExit(proc);
    cleanup();
  };
  const kill = async (): Promise<void> => {
    if (ended) return;
    ended = true;
    // Detach first so the killed process's closing pipe is not reported as a transport error.
    await Promise.race([browser.disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000).unref())]);
    killAll();
    // The profile can only be removed once Chromium has exited: it writes to it until then.
    await waitForExit(proc);
    cleanup();
  };
  let version: string;
  try {
    version = await browser.version();
  } catch (e) {
    await kill();
    return launchFailed(`Chromium at ${resolved.path} (${resolved.source}) started but does not answer: ${(e as Error).message.split('\n')[0]}`, resolved.path, 'Check that the executable runs (`<path> --version`), or pass --chrome <path>.');
  }
  return { browser, version, resolved, close, kill, [Symbol.asyncDispose]: close };
}

/** Resolve once the process has exited (at most 5 s after a SIGKILL). */
function waitForExit(proc: ReturnType<Browser['process']>): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 5_000).unref();
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
