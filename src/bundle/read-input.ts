import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { limitHint } from '../model/limits.ts';

/** A file read for the pipeline, or the located reason it was not. */
export type ReadResult = { ok: true; file: string; bytes: Uint8Array } | { ok: false; diagnostic: Diagnostic };

/** A file hashed without being kept in memory, or the located reason it was not. */
export type HashResult = { ok: true; file: string; sha256: string; bytes: number; dev: number; ino: number } | { ok: false; diagnostic: Diagnostic };

/** Options of the guarded reader. */
export interface GuardOptions {
  /** Refuse a final component that is a symlink (`O_NOFOLLOW`), for paths already resolved physically. */
  noFollow?: boolean;
}

/**
 * Open an input defensively: it must be a regular file (not `/dev/zero`, a FIFO or a directory)
 * and within `maxBytes`, checked with fstat on the opened descriptor before any byte is read.
 * The open is non-blocking, so a FIFO swapped in after the stat cannot hang the run either.
 */
function openGuarded(file: string, maxBytes: number, options: GuardOptions): { ok: true; fd: number; st: Stats } | { ok: false; diagnostic: Diagnostic } {
  let fd: number | undefined;
  try {
    // stat first: the common refusals (directory, FIFO) need no descriptor at all.
    const pre = statSync(file);
    if (!pre.isFile()) return { ok: false, diagnostic: notRegular(file, pre.isDirectory() ? 'a directory' : pre.isFIFO() ? 'a FIFO' : 'not a regular file') };
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0));
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      return { ok: false, diagnostic: notRegular(file, 'not a regular file') };
    }
    if (st.size > maxBytes) {
      closeSync(fd);
      return { ok: false, diagnostic: tooLarge(file, st.size, maxBytes) };
    }
    return { ok: true, fd, st };
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    const e = err as NodeJS.ErrnoException;
    const what = e.code === 'ENOENT' ? 'file not found' : e.code === 'EACCES' ? 'permission denied' : e.code === 'ELOOP' ? 'a symlink where none may be' : `cannot read (${e.code ?? e.message})`;
    return { ok: false, diagnostic: diag('input/unreadable', 'error', what, { file, fix: e.code === 'ENOENT' ? 'check the path' : 'check the file permissions' }) };
  }
}

/**
 * Read an input file defensively (see {@link openGuarded}): a huge or endless input costs
 * nothing, and a file that grows while it is read is cut at the size fstat reported.
 */
export function readInputFile(file: string, maxBytes: number, options: GuardOptions = {}): ReadResult {
  const o = openGuarded(file, maxBytes, options);
  if (!o.ok) return o;
  try {
    const bytes = Buffer.alloc(o.st.size);
    let off = 0;
    while (off < o.st.size) {
      const n = readSync(o.fd, bytes, off, o.st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return { ok: true, file, bytes: bytes.subarray(0, off) };
  } catch (err) {
    return { ok: false, diagnostic: diag('input/unreadable', 'error', `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file, fix: 'check the file' }) };
  } finally {
    closeSync(o.fd);
  }
}

/**
 * sha256 of an input file under the same guards, read in 1 MiB chunks so hashing a file of
 * `maxBytes` never holds it in memory. At most the size fstat reported is read.
 */
export function hashInputFile(file: string, maxBytes: number, options: GuardOptions = {}): HashResult {
  const o = openGuarded(file, maxBytes, options);
  if (!o.ok) return o;
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(Math.min(1024 * 1024, Math.max(1, o.st.size)));
    let off = 0;
    while (off < o.st.size) {
      const n = readSync(o.fd, chunk, 0, Math.min(chunk.length, o.st.size - off), off);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
      off += n;
    }
    return { ok: true, file, sha256: hash.digest('hex'), bytes: off, dev: o.st.dev, ino: o.st.ino };
  } catch (err) {
    return { ok: false, diagnostic: diag('input/unreadable', 'error', `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file, fix: 'check the file' }) };
  } finally {
    closeSync(o.fd);
  }
}

function tooLarge(file: string, size: number, maxBytes: number): Diagnostic {
  return diag('limit/input-size', 'error', `file is ${size} bytes, over the limit maxInputBytes=${maxBytes}`, {
    file, expected: `at most ${maxBytes} bytes`, fix: limitHint('maxInputBytes'),
  });
}

function notRegular(file: string, what: string): Diagnostic {
  return diag('input/not-a-file', 'error', `input is ${what}`, { file, expected: 'a regular file', fix: 'pass the path of the scanner output file' });
}
