/**
 * Where outputs may go: the output directory is checked component by component before anything
 * is rendered (the probe) and again by the writer, so a symlinked `--out` (a committed
 * `audit-report -> ../baseline`), a symlinked parent, a file in the way or a place no directory
 * can be made (`/proc/x`) fails fast with a located diagnostic instead of following the link or
 * spinning in a recursive mkdir.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, realpathSync, rmdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { diag, type Diagnostic, type DiagnosticCode } from '../model/diagnostics.ts';

/** Options of {@link checkOutputDir}. */
export interface OutputDirOptions {
  /** Accept symlinks anywhere in the path (`--allow-symlinks`). */
  allowSymlinks?: boolean;
  /** The working directory a relative path starts from; default `process.cwd()`. */
  cwd?: string;
}

/** A usable output directory: its physical path and the directories still to be created. */
export type OutputDir = { ok: true; path: string; missing: string[] } | { ok: false; diagnostic: Diagnostic };

const FIX_SYMLINK = 'Remove the symlink or choose another --out; pass --allow-symlinks if writing through it is intended.';

const under = (p: string, root: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * Whether a symlink met while walking the output path may be followed. The working directory is
 * where the user chose to work, so whatever leads to it is trusted: a link that resolves to it or
 * to one of its ancestors (`/home/me -> /data/me`), and the system's own root-level links (macOS
 * `/tmp -> private/tmp`; only root can create entries in `/`). A link inside the working
 * directory is never trusted: it is part of the checkout, i.e. of what is being audited.
 */
function trustedLink(link: string, uid: number, cwd: string): string | undefined {
  if (under(link, cwd)) return undefined;
  let target: string;
  try {
    target = realpathSync(link);
  } catch {
    return undefined;
  }
  if (under(cwd, target)) return target;
  if (uid === 0 && dirname(link) === '/') return target;
  return undefined;
}

/**
 * Walk `dir` as written, one component at a time, the way the kernel would (so `out/../x` is
 * checked through `out`), with `lstat` only: every existing component must be a directory and
 * not a symlink (except the trusted ones of {@link trustedLink}, or any with `allowSymlinks`).
 * Creates nothing. The returned path has no symlink and no `..` left in it, so using it for
 * every later call means nothing can be redirected between the check and the write except by a
 * concurrent local attacker.
 */
export function checkOutputDir(dir: string, options: OutputDirOptions = {}): OutputDir {
  const cwd = options.cwd ?? process.cwd();
  if (dir.includes('\0')) return fail('output/write-failed', dir, 'The output path contains a NUL character.', 'Choose another --out.');
  // An empty path would silently mean "the working directory", which nobody types on purpose.
  if (dir.trim() === '') return fail('output/not-a-directory', dir, 'The output path is empty.', 'Name a directory with --out (use . for the working directory).');
  let cur = isAbsolute(dir) ? sep : cwd;
  const missing: string[] = [];
  for (const c of dir.split(/[\\/]+/)) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (missing.at(-1) === cur) missing.pop();
      cur = dirname(cur);
      continue;
    }
    const next = join(cur, c);
    if (missing.length > 0 && missing.at(-1) === cur) {
      missing.push(next);
      cur = next;
      continue;
    }
    let st;
    try {
      st = lstatSync(next);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        missing.push(next);
        cur = next;
        continue;
      }
      if (code === 'ENOTDIR') return fail('output/not-a-directory', next, `Output directory ${dir}: ${cur} is not a directory.`, 'Choose a directory for --out.');
      return fail(code === 'EACCES' ? 'output/permission' : 'output/write-failed', next, `Cannot look up ${next} (${code ?? (e as Error).message}).`, 'Check the --out path and its permissions.');
    }
    if (st.isSymbolicLink()) {
      const target = options.allowSymlinks ? safeRealpath(next) : trustedLink(next, st.uid, cwd);
      if (target === undefined) {
        return fail('output/symlink', next, `Output directory ${dir}: ${next} is a symlink; refusing to write through it (its target is left untouched).`, FIX_SYMLINK);
      }
      let tst;
      try {
        tst = lstatSync(target);
      } catch {
        return fail('output/not-a-directory', next, `Output directory ${dir}: ${next} is a symlink to nothing usable.`, 'Choose a directory for --out.');
      }
      if (!tst.isDirectory()) return fail('output/not-a-directory', next, `Output directory ${dir}: ${next} is not a directory.`, 'Choose a directory for --out.');
      cur = target;
      continue;
    }
    if (!st.isDirectory()) return fail('output/not-a-directory', next, `Output directory ${dir}: ${next} is a file, not a directory.`, 'Choose a directory for --out, or move the file away.');
    cur = next;
  }
  return { ok: true, path: cur, missing };
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function fail(code: DiagnosticCode, file: string, message: string, fix: string): OutputDir {
  return { ok: false, diagnostic: diag(code, 'error', message, { file, fix }) };
}

/** The diagnostic for a failed file-system call on an output path, by errno. */
export function outputError(e: unknown, action: string, path: string): Diagnostic {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const detail = (e as Error).message?.split('\n')[0] ?? String(e);
  const byCode: Record<string, [DiagnosticCode, string]> = {
    EACCES: ['output/permission', 'Make the output directory writable for this user, or choose another with --out.'],
    EPERM: ['output/permission', 'Make the output directory writable for this user, or choose another with --out.'],
    EROFS: ['output/read-only', 'The file system is read-only; choose a writable directory with --out.'],
    ENOSPC: ['output/disk-full', 'Free disk space (or quota) on the output file system and run again.'],
    EDQUOT: ['output/disk-full', 'Free disk space (or quota) on the output file system and run again.'],
    ENOTDIR: ['output/not-a-directory', 'The --out path (or one of its parents) is a file; choose a directory.'],
  };
  const [c, fix]: [DiagnosticCode, string] = byCode[code] ?? ['output/write-failed', 'Check the output directory and run again; choose another with --out.'];
  return diag(c, 'error', `Could not ${action} ${path}: ${detail}. Previous outputs are unchanged.`, { file: path, fix });
}

/**
 * Whether the output file `name` in the checked directory `dir` may be replaced: not a
 * directory, and not a symlink leading out of `dir` (unless `allowSymlinks`). A symlink to
 * another file inside the directory is replaced like any file (the rename replaces the link,
 * never its target). The message does not print the link's target.
 */
export function checkOutputFile(dir: string, name: string, allowSymlinks: boolean): Diagnostic | undefined {
  const final = join(dir, name);
  const st = lstatSync(final, { throwIfNoEntry: false });
  if (st?.isDirectory()) return diag('output/not-a-file', 'error', `Output path ${final} is a directory.`, { file: final, fix: 'Remove or rename it, or choose another --out.' });
  if (st?.isSymbolicLink() && !allowSymlinks) {
    const target = safeRealpath(final);
    const rel = target === undefined ? undefined : relative(dir, target);
    if (rel === undefined || rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) {
      return diag('output/symlink', 'error', `Output path ${final} is a symlink that does not stay inside the output directory; refusing to replace it.`, { file: final, fix: FIX_SYMLINK });
    }
  }
  return undefined;
}

/**
 * Create the directories {@link checkOutputDir} found missing, one `mkdir` each (never a
 * recursive mkdir, which retries forever on places such as `/proc/x`). A directory that appeared
 * meanwhile is accepted only if it is a real directory.
 */
export function createMissing(missing: readonly string[]): Diagnostic | undefined {
  for (const d of missing) {
    try {
      mkdirSync(d, 0o755);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        const st = lstatSync(d, { throwIfNoEntry: false });
        if (st?.isDirectory()) continue;
        return diag('output/symlink', 'error', `Output directory ${d} appeared as something other than a directory while it was being created.`, { file: d, fix: FIX_SYMLINK });
      }
      return outputError(e, 'create the output directory', d);
    }
  }
  return undefined;
}

/**
 * Check before rendering that `dir` can take the outputs, leaving nothing behind: walk it
 * ({@link checkOutputDir}), create what is missing, create and remove one probe file (named like
 * a temp file, so a killed probe is cleaned by the next write), then remove the directories it
 * created. Catches a read-only or full-permission problem, a file in the way, a symlink and an
 * impossible place (`/proc/x`) before Chromium is started.
 */
export function probeOutputDir(dir: string, options: OutputDirOptions & { names?: readonly string[] } = {}): Diagnostic[] {
  const checked = checkOutputDir(dir, options);
  if (!checked.ok) return [checked.diagnostic];
  for (const name of checked.missing.length === 0 ? (options.names ?? []) : []) {
    const problem = checkOutputFile(checked.path, name, options.allowSymlinks === true);
    if (problem) return [problem];
  }
  const created: string[] = [];
  try {
    for (const d of checked.missing) {
      const problem = createMissing([d]);
      if (problem) return [problem];
      created.push(d);
    }
    const probe = join(checked.path, `.probe.auditmark-tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      closeSync(openSync(probe, 'wx', 0o600));
      unlinkSync(probe);
    } catch (e) {
      return [outputError(e, 'create a file in', checked.path)];
    }
    return [];
  } finally {
    for (const d of created.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // Another run put something there meanwhile: it is theirs now.
      }
    }
  }
}

/** {@link probeOutputDir} for one output file (`normalize -o`, `--summary`): its directory and the file itself. */
export function probeOutputFile(path: string, options: OutputDirOptions = {}): Diagnostic[] {
  return probeOutputDir(dirname(path), { ...options, names: [basename(path)] });
}
