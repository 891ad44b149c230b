/**
 * Resolving an untrusted relative path inside a folder the way the kernel would (symlinks
 * followed, `..` applied to what was resolved so far), without ever looking at anything outside
 * the folder: the user-space equivalent of `openat2(RESOLVE_BENEATH)`, which Node does not offer.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

/** Why a path could not be resolved inside the folder. */
export type ConfinedProblem =
  /** Absolute, `..` above the folder, or a symlink whose target (read, not followed) leaves it. */
  | 'outside'
  /** A component does not exist, or a non-final component is not a directory. */
  | 'missing'
  /** The path holds a NUL character (no file can be named so; refused before any system call). */
  | 'nul'
  /** More than {@link MAX_SYMLINK_HOPS} symlinks (a loop). */
  | 'loop';

/** Result of {@link resolveConfined}: the physical path (no symlink in it), or why not. */
export type ConfinedPath = { ok: true; path: string } | { ok: false; problem: ConfinedProblem };

/** Linux's own limit on symlinks followed in one lookup (`ELOOP` after 40). */
export const MAX_SYMLINK_HOPS = 40;

const split = (p: string): string[] => p.split(/[\\/]+/).filter((c) => c !== '' && c !== '.');

/**
 * Resolve `rel` inside `root`, component by component. Every symlink met is read with
 * `readlink` and its target checked as text before anything is done with it: a target outside
 * `root` is refused without being touched, so neither its content nor its existence, type or
 * size can be learnt (a dangling link outside and a link to an existing secret give the same
 * answer). Only `lstat` and `readlink` are called, and only on paths inside `root`.
 *
 * `root` must already be a physical path (`realpath`); `aliases` are other spellings of it that
 * absolute symlink targets may use (the folder as the user named it).
 */
export function resolveConfined(root: string, rel: string, aliases: readonly string[] = []): ConfinedPath {
  if (rel.includes('\0')) return { ok: false, problem: 'nul' };
  if (isAbsolute(rel) || /^[A-Za-z]:[\\/]/.test(rel)) return { ok: false, problem: 'outside' };
  const done: string[] = [];
  const todo = split(rel);
  let hops = 0;
  while (todo.length > 0) {
    const c = todo.shift()!;
    if (c === '..') {
      if (done.length === 0) return { ok: false, problem: 'outside' };
      done.pop();
      continue;
    }
    const here = join(root, ...done, c);
    let st;
    try {
      st = lstatSync(here);
    } catch {
      return { ok: false, problem: 'missing' };
    }
    if (st.isSymbolicLink()) {
      if (++hops > MAX_SYMLINK_HOPS) return { ok: false, problem: 'loop' };
      let target: string;
      try {
        target = readlinkSync(here);
      } catch {
        return { ok: false, problem: 'missing' };
      }
      if (target.includes('\0')) return { ok: false, problem: 'nul' };
      if (isAbsolute(target)) {
        // An absolute target is followed only when it spells a place under the folder; its own
        // `..` and symlinks are then resolved by this same loop.
        const base = [root, ...aliases].find((r) => target === r || target.startsWith(r.endsWith(sep) ? r : r + sep));
        if (base === undefined) return { ok: false, problem: 'outside' };
        done.length = 0;
        todo.unshift(...split(target.slice(base.length)));
      } else {
        todo.unshift(...split(target));
      }
      continue;
    }
    if (todo.length > 0 && !st.isDirectory()) return { ok: false, problem: 'missing' };
    done.push(c);
  }
  return { ok: true, path: join(root, ...done) };
}
