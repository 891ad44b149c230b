/**
 * Real git work trees for provenance tests: a fresh repository with one commit of the given
 * files and, optionally, an `origin` remote. Identity and system config are pinned so the
 * developer's git setup cannot change a case.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org', GIT_CONFIG_NOSYSTEM: '1' };

/** Run git in `dir` and return its trimmed stdout. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A new repository holding `files` in one commit; `head` is that commit. */
export function gitRepo(files: Record<string, string>, remote?: string): { dir: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), 'am-git-'));
  git(dir, 'init', '-q');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  if (remote) git(dir, 'remote', 'add', 'origin', remote);
  return { dir, head: git(dir, 'rev-parse', 'HEAD') };
}
