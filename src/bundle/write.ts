/**
 * Atomic, all-or-nothing writing of a build's output files, serialised by a lock file so two
 * concurrent builds into one directory give one complete build, never a mix.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { appendFileSync, constants } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { checkOutputDir, checkOutputFile, createMissing, outputError } from './output-dir.ts';

/** One output file: a fixed name (never a path) and its bytes. */
export interface OutputFile {
  name: string;
  bytes: Uint8Array;
}

/** The file-system calls writeOutputs makes; tests replace some to inject failures. */
export interface OutputFs {
  open: typeof nodeFs.open;
  rename: typeof nodeFs.rename;
  unlink: typeof nodeFs.unlink;
  link: typeof nodeFs.link;
  lstat: typeof nodeFs.lstat;
  realpath: typeof nodeFs.realpath;
  readdir: typeof nodeFs.readdir;
}

/** Options of {@link writeOutputs}. */
export interface WriteOutputOptions {
  /**
   * Write through symlinks: an output directory (or parent) that is one, and an existing output
   * file that is one pointing outside the directory. Refused by default.
   */
  allowSymlinks?: boolean;
  /** How long to wait for another build's lock before `output/locked` (default 60 s). */
  lockWaitMs?: number;
  /** Test-only fault injection. */
  fs?: Partial<OutputFs>;
}

/** Result of {@link writeOutputs}. */
export interface WriteOutputResult {
  /** Absolute paths written (empty when anything failed). */
  written: string[];
  diagnostics: Diagnostic[];
}

/** Name of the lock file in the output directory. */
export const LOCK_NAME = '.auditmark.lock';
const TEMP_PATTERN = /^\..+\.auditmark-(?:tmp|bak)-\d+-[0-9a-f]+$/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * True for a plain file name that is safe on every platform: no separators, no `..`, no
 * leading dot, no reserved device name, no trailing dot or space, at most 200 bytes.
 */
export function isSafeOutputName(name: string): boolean {
  return (
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) &&
    !name.includes('..') &&
    !/[. ]$/.test(name) &&
    !WINDOWS_RESERVED.test(name) &&
    Buffer.byteLength(name) <= 200
  );
}

/**
 * Turn a data-derived label into a safe file name: an ASCII slug plus a short hash of the
 * original, so different labels never collide and no label can become a path.
 */
export function safeOutputName(label: string, extension: string): string {
  const slug =
    label
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'output';
  const hash = createHash('sha256').update(label, 'utf8').digest('hex').slice(0, 10);
  const name = `${slug}-${hash}.${extension.replace(/[^A-Za-z0-9]/g, '')}`;
  return WINDOWS_RESERVED.test(name) ? `x-${name}` : name;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Take the directory lock (`open` with `wx`); a lock whose pid is dead is taken over. */
async function acquireLock(fs: OutputFs, dir: string, waitMs: number): Promise<Diagnostic | undefined> {
  const lockPath = join(dir, LOCK_NAME);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const h = await fs.open(lockPath, 'wx', 0o644);
      await h.writeFile(`${process.pid}\n`);
      await h.close();
      return undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return outputError(e, 'create the lock file', lockPath);
    }
    const held = await readLock(fs, lockPath);
    if (held === 'not-a-file') {
      return diag('output/symlink', 'error', `The lock file ${lockPath} is a symlink or not a regular file; refusing to use it.`, {
        file: lockPath, fix: `Remove ${lockPath} (auditmark only ever creates it as a regular file).`,
      });
    }
    const owner = Number.parseInt(held, 10);
    if (!alive(owner)) {
      // A lock with a dead pid is from a killed build. An empty lock is normally being written
      // right now, so it is only taken over once it is clearly abandoned (older than 5 s).
      const st = await fs.lstat(lockPath).catch(() => undefined);
      const abandoned = Number.isInteger(owner) && owner > 0 ? true : st !== undefined && Date.now() - st.mtimeMs > 5_000;
      if (abandoned) {
        await fs.unlink(lockPath).catch(() => undefined);
        continue;
      }
    }
    if (Date.now() >= deadline) {
      return diag('output/locked', 'error', `Another auditmark build (pid ${Number.isNaN(owner) ? 'unknown' : owner}) is writing to ${dir}.`, {
        file: lockPath,
        fix: `Wait for it to finish, or remove ${lockPath} if no build is running.`,
      });
    }
    await sleep(50 + Math.floor(Math.random() * 50));
  }
}

/**
 * The pid text of a lock file, read without following a symlink and without blocking on a FIFO
 * (a lock planted in a committed output directory must not redirect or hang the build); '' when
 * it is gone or unreadable.
 */
async function readLock(fs: OutputFs, lockPath: string): Promise<string> {
  let h: nodeFs.FileHandle | undefined;
  try {
    h = await fs.open(lockPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    if (!(await h.stat()).isFile()) return 'not-a-file';
    const buf = Buffer.alloc(32);
    const { bytesRead } = await h.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'not-a-file' : '';
  } finally {
    await h?.close().catch(() => undefined);
  }
}

async function releaseLock(fs: OutputFs, dir: string): Promise<void> {
  const lockPath = join(dir, LOCK_NAME);
  const owner = await readLock(fs, lockPath);
  if (Number.parseInt(owner, 10) === process.pid) await fs.unlink(lockPath).catch(() => undefined);
}


async function fsyncDir(fs: OutputFs, dir: string): Promise<void> {
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the renames are still atomic.
  }
}

/**
 * Write every file into `dir` atomically and all-or-nothing: take the directory lock, remove
 * stale temp files from killed runs, write each file to a temp file in the same directory and
 * fsync it, then rename all of them into place (restoring the previous versions if a rename
 * fails) and fsync the directory. On any failure the previous outputs are byte-for-byte intact
 * and no temp file remains.
 */
export async function writeOutputs(dir: string, files: readonly OutputFile[], options: WriteOutputOptions = {}): Promise<WriteOutputResult> {
  const fs: OutputFs = { ...nodeFs, ...options.fs } as OutputFs;
  const fail = (d: Diagnostic): WriteOutputResult => ({ written: [], diagnostics: [d] });

  const seen = new Set<string>();
  for (const f of files) {
    if (!isSafeOutputName(f.name) || seen.has(f.name.toLowerCase())) {
      return fail(
        diag('output/bad-name', 'error', `Output name ${JSON.stringify(f.name)} is not a safe, unique plain file name.`, {
          expected: 'a fixed file name such as report.pdf (letters, digits, ".", "-", "_")',
          fix: 'Derive names with safeOutputName(); never from paths or titles directly.',
        }),
      );
    }
    seen.add(f.name.toLowerCase());
  }

  // The directory is walked component by component (no symlink followed unless allowed) and
  // created one level at a time; everything after uses the physical path this returns.
  const checked = checkOutputDir(dir, { allowSymlinks: options.allowSymlinks });
  if (!checked.ok) return fail(checked.diagnostic);
  const created = createMissing(checked.missing);
  if (created) return fail(created);
  const realDir = checked.path;

  const lockProblem = await acquireLock(fs, realDir, options.lockWaitMs ?? 60_000);
  if (lockProblem) return fail(lockProblem);

  const temps: string[] = [];
  const backups: Array<{ backup: string; final: string }> = [];
  const renamed: string[] = [];
  try {
    // We hold the lock, so every temp or backup file here belongs to a build that died.
    for (const entry of await fs.readdir(realDir)) {
      if (TEMP_PATTERN.test(entry)) await fs.unlink(join(realDir, entry)).catch(() => undefined);
    }

    for (const f of files) {
      const problem = checkOutputFile(realDir, f.name, options.allowSymlinks === true);
      if (problem) return fail(problem);
    }

    const tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
    for (const f of files) {
      const temp = join(realDir, `.${f.name}.auditmark-tmp-${tag}`);
      temps.push(temp);
      let h: nodeFs.FileHandle | undefined;
      try {
        h = await fs.open(temp, 'wx', 0o644);
        await h.writeFile(f.bytes);
        await h.sync();
      } catch (e) {
        throw Object.assign(new Error('write'), { cause: e, path: join(realDir, f.name) });
      } finally {
        await h?.close().catch(() => undefined);
      }
    }

    // Keep the previous versions reachable (hard links, no copy) until every rename succeeded.
    for (const f of files) {
      const final = join(realDir, f.name);
      const backup = join(realDir, `.${f.name}.auditmark-bak-${tag}`);
      try {
        await fs.link(final, backup);
        backups.push({ backup, final });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw Object.assign(new Error('backup'), { cause: e, path: final });
      }
    }
    for (let i = 0; i < files.length; i++) {
      const final = join(realDir, files[i]!.name);
      try {
        await fs.rename(temps[i]!, final);
      } catch (e) {
        throw Object.assign(new Error('rename'), { cause: e, path: final });
      }
      renamed.push(final);
    }
    await fsyncDir(fs, realDir);
    for (const b of backups) await fs.unlink(b.backup).catch(() => undefined);
    return { written: files.map((f) => join(realDir, f.name)), diagnostics: [] };
  } catch (e) {
    // Roll back: restore previous versions of what was already renamed, drop new files that had
    // no previous version, and remove every temp and backup.
    for (const final of renamed) {
      const b = backups.find((x) => x.final === final);
      if (b) await fs.rename(b.backup, final).catch(() => undefined);
      else await fs.unlink(final).catch(() => undefined);
    }
    for (const t of temps) await fs.unlink(t).catch(() => undefined);
    for (const b of backups) await fs.unlink(b.backup).catch(() => undefined);
    const err = e as Error & { cause?: unknown; path?: string };
    const action = err.message === 'rename' ? 'replace' : err.message === 'backup' ? 'keep a backup of' : 'write';
    return fail(outputError(err.cause ?? e, action, err.path ?? realDir));
  } finally {
    await releaseLock(fs, realDir);
  }
}

/** Write one file atomically (normalize -o, --summary): the same guarantees as a build's outputs. */
export async function writeSingleFile(path: string, text: string, options: Pick<WriteOutputOptions, 'allowSymlinks'> = {}): Promise<Diagnostic[]> {
  const r = await writeOutputs(dirname(path), [{ name: basename(path), bytes: Buffer.from(text, 'utf8') }], options);
  return r.diagnostics;
}

/**
 * Write the compact CI step summary: to `explicit` (atomically), else appended to
 * `$GITHUB_STEP_SUMMARY` when set (GitHub's protocol is append). A failed append is a warning:
 * the bundle itself was written. `summary` is called only when there is somewhere to write it
 * (it may load the summary renderer).
 */
export async function writeStepSummary(
  summary: () => string | Promise<string>, explicit: string | undefined, env: Readonly<Record<string, string | undefined>>, options: Pick<WriteOutputOptions, 'allowSymlinks'> = {},
): Promise<Diagnostic[]> {
  if (explicit) return writeSingleFile(explicit, await summary(), options);
  const gh = env.GITHUB_STEP_SUMMARY;
  if (!gh) return [];
  const text = await summary();
  try {
    appendFileSync(gh, text);
    return [];
  } catch (e) {
    return [diag('output/summary', 'warning', `cannot append the step summary: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: gh })];
  }
}
