import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { limitHint } from '../model/limits.ts';

/** A file read for the pipeline, or the located reason it was not. */
export type ReadResult = { ok: true; file: string; bytes: Uint8Array } | { ok: false; diagnostic: Diagnostic };

/**
 * Read an input file defensively: it must be a regular file (not `/dev/zero`, a FIFO or a
 * directory) and within `maxBytes`, checked with fstat on the opened descriptor before any byte
 * is read, so a huge or endless input costs nothing.
 */
export function readInputFile(file: string, maxBytes: number): ReadResult {
  let fd: number | undefined;
  try {
    // stat first: opening a FIFO for reading would block until a writer appears.
    const pre = statSync(file);
    if (!pre.isFile()) return { ok: false, diagnostic: notRegular(file, pre.isDirectory() ? 'a directory' : pre.isFIFO() ? 'a FIFO' : 'not a regular file') };
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, diagnostic: notRegular(file, 'not a regular file') };
    if (st.size > maxBytes) {
      return {
        ok: false,
        diagnostic: diag('limit/input-size', 'error', `file is ${st.size} bytes, over the limit maxInputBytes=${maxBytes}`, {
          file, expected: `at most ${maxBytes} bytes`, fix: limitHint('maxInputBytes'),
        }),
      };
    }
    const bytes = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, bytes, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return { ok: true, file, bytes: bytes.subarray(0, off) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const what = e.code === 'ENOENT' ? 'file not found' : e.code === 'EACCES' ? 'permission denied' : `cannot read (${e.code ?? e.message})`;
    return { ok: false, diagnostic: diag('input/unreadable', 'error', what, { file, fix: e.code === 'ENOENT' ? 'check the path' : 'check the file permissions' }) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function notRegular(file: string, what: string): Diagnostic {
  return diag('input/not-a-file', 'error', `input is ${what}`, { file, expected: 'a regular file', fix: 'pass the path of the scanner output file' });
}
