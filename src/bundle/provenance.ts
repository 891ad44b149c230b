/**
 * Git provenance of the scanned sources. A record may only state a commit that belongs to the
 * sources that were scanned, so the facts come from the work tree that holds them:
 *
 * - `--source <dir>` (or config `source:`) names it. When config `repository` is set too, one of
 *   that work tree's remotes must be the repository, or the build stops (either claim would be
 *   false); a work tree without remotes is taken as named.
 * - Without a source, the working directory is used only when one of its remotes is the
 *   configured `repository` (the usual CI checkout). Otherwise the record says "not recorded",
 *   with the reason: never the commit of whichever repository happens to hold a scan file.
 *
 * A work tree whose tracked files differ from the commit (staged or not) is recorded as dirty,
 * with how many files and the first few paths. git runs without a shell, with a timeout, without
 * inherited `GIT_*` variables (a `GIT_DIR` would point it at another repository), with
 * `core.fsmonitor` off (a repository's config could otherwise run a program on `git status`) and
 * without taking optional locks.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { diag, type Diagnostic } from '../model/diagnostics.ts';
import type { GitUnrecorded } from '../model/reasons.ts';
import type { GitProvenance } from '../model/report.ts';

/** How many changed paths a record lists (the count is always complete). */
export const MAX_CHANGED_PATHS = 10;

/** Where to look for the scanned sources. */
export interface SourceOptions {
  /** The work tree holding the scanned sources (`--source`, config `source`). */
  source?: string;
  /** Config `repository`: a URL (`https://github.com/o/r`, `git@github.com:o/r.git`) or `owner/repo`. */
  repository?: string;
  /** For diagnostics: where `source` came from (`--source` or the config file). */
  origin?: string;
  /** Default `process.cwd()`. */
  cwd?: string;
}

/** Git facts, or why there are none, and any problem that must stop the build. */
export interface SourceProvenanceResult {
  git: GitProvenance | GitUnrecorded;
  diagnostics: Diagnostic[];
}

class GitMissing extends Error {}

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
}

/** Run git in `dir`; `undefined` when it fails (not a work tree, no commit), GitMissing when git is not installed. */
function git(dir: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', ['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', '--no-optional-locks', ...args], {
      cwd: dir, encoding: 'utf8', timeout: 10_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'], env: gitEnv(),
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new GitMissing();
    return undefined;
  }
}

/**
 * A comparable key of a repository address: lower-case `host/path` without credentials, port,
 * leading/trailing slashes or `.git`; `owner/repo` stays a path-only key. `undefined` for a bare
 * name (`my-project`), which cannot identify a repository.
 */
export function repositoryKey(address: string): { host?: string; path: string } | undefined {
  let a = address.trim();
  let host: string | undefined;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(a);
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:]+)(?::\d+)?(\/.*)?$/i.exec(a);
  if (url) {
    host = url[1]!.toLowerCase();
    a = url[2] ?? '';
  } else if (scp && !/^[a-z]:[\\/]/i.test(address)) {
    host = scp[1]!.toLowerCase();
    a = scp[2]!;
  } else if (/^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+\//i.test(a)) {
    // `github.com/owner/repo` without a scheme.
    const i = a.indexOf('/');
    host = a.slice(0, i).toLowerCase();
    a = a.slice(i);
  }
  const path = a.replace(/[?#].*$/, '').replace(/^\/+|\/+$/g, '').replace(/\.git$/i, '').toLowerCase();
  if (!path || (!host && !path.includes('/'))) return undefined;
  return host ? { host: host.replace(/^www\./, ''), path } : { path };
}

/** Does a remote URL name the configured repository? A path-only key matches any host. */
export function sameRepository(remote: string, repository: string): boolean {
  const r = repositoryKey(remote);
  const want = repositoryKey(repository);
  if (!r || !want) return false;
  return r.path === want.path && (want.host === undefined || r.host === want.host);
}

/** Tracked files that differ from HEAD (index or work tree), from `git status --porcelain -z`. */
function changedFiles(dir: string): string[] | undefined {
  const out = git(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=no', '--ignore-submodules=none']);
  if (out === undefined) return undefined;
  const fields = out.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.length < 4) continue;
    paths.push(f.slice(3));
    // A rename or copy is followed by its original path.
    if (f[0] === 'R' || f[0] === 'C') i++;
  }
  return [...new Set(paths)].sort();
}

function facts(dir: string, basis: GitProvenance['basis']): GitProvenance | undefined {
  const head = git(dir, ['log', '-1', '--format=%H%x00%cI'])?.trim();
  const [commit, date] = head?.split('\u0000') ?? [];
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit) || !date || Number.isNaN(Date.parse(date))) return undefined;
  const changed = changedFiles(dir);
  if (changed === undefined) return undefined;
  return {
    commit, date: new Date(date).toISOString(), basis, dirty: changed.length > 0,
    changed: { count: changed.length, paths: changed.slice(0, MAX_CHANGED_PATHS) },
  };
}

function remotes(dir: string): string[] {
  const out = git(dir, ['remote', '-v']) ?? '';
  return [...new Set(out.split('\n').map((l) => l.split(/\s+/)[1]).filter((u): u is string => !!u))];
}

/**
 * Git facts of the scanned sources, by the rules in this module's comment. Never throws: git
 * missing, a folder outside any work tree or a tree without commits become a typed "not
 * recorded" reason; only a named source that is no directory, or whose remotes contradict the
 * configured repository, is an error.
 */
export function sourceProvenance(options: SourceOptions): SourceProvenanceResult {
  const cwd = options.cwd ?? process.cwd();
  const origin = options.origin ?? '--source';
  try {
    if (options.source !== undefined) {
      const dir = resolve(cwd, options.source);
      let isDir = false;
      try {
        isDir = statSync(dir).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) {
        return {
          git: { code: 'not-a-work-tree', args: { basis: 'source-option' } },
          diagnostics: [diag('input/source-not-a-directory', 'error', `${origin} ${options.source} is not a directory`, {
            file: options.source, expected: 'the directory (git work tree) holding the scanned sources', fix: 'pass the checkout the scanners ran on, e.g. --source .',
          })],
        };
      }
      const found = facts(dir, 'source-option');
      if (!found) return { git: { code: 'not-a-work-tree', args: { basis: 'source-option' } }, diagnostics: [] };
      const urls = remotes(dir);
      if (options.repository !== undefined && urls.length > 0 && !urls.some((u) => sameRepository(u, options.repository!))) {
        return {
          git: { code: 'remote-mismatch', args: { repository: options.repository } },
          diagnostics: [diag('input/source-remote-mismatch', 'error', `the work tree at ${options.source} has no remote for the configured repository ${options.repository}`, {
            file: options.source, expected: `a work tree with a remote of ${options.repository}`,
            fix: 'pass the checkout of the configured repository with --source, or correct `repository` in the config',
          })],
        };
      }
      return { git: found, diagnostics: [] };
    }
    if (options.repository === undefined) return { git: { code: 'no-source', args: {} }, diagnostics: [] };
    const urls = remotes(cwd);
    const found = facts(cwd, 'repository-remote');
    if (!found) return { git: { code: 'not-a-work-tree', args: { basis: 'working-directory' } }, diagnostics: [] };
    if (!urls.some((u) => sameRepository(u, options.repository!))) return { git: { code: 'remote-mismatch', args: { repository: options.repository } }, diagnostics: [] };
    return { git: found, diagnostics: [] };
  } catch (e) {
    if (e instanceof GitMissing) return { git: { code: 'git-unavailable', args: {} }, diagnostics: [] };
    throw e;
  }
}
