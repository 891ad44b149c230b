/**
 * Git provenance on real git work trees made for each case: the record states only the commit
 * of the work tree holding the scanned sources, records a dirty tree as dirty, and says why
 * when it states none.
 */
import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CHANGED_PATHS, repositoryKey, sameRepository, sourceProvenance } from '../../src/bundle/provenance.ts';
import { git, gitRepo as repo } from '../helpers/git-repo.ts';

describe('repository addresses', () => {
  it('compare the same repository written as https, ssh, scp-like or owner/repo', () => {
    const want = 'https://github.com/Louranicas/claude-optimized-deployment';
    for (const remote of [
      'https://github.com/Louranicas/claude-optimized-deployment.git',
      'git@github.com:Louranicas/claude-optimized-deployment.git',
      'ssh://git@github.com/louranicas/claude-optimized-deployment',
      'https://x-access-token:secret@github.com/Louranicas/claude-optimized-deployment/',
    ]) expect(sameRepository(remote, want), remote).toBe(true);
    expect(sameRepository('https://github.com/Louranicas/claude-optimized-deployment.git', 'Louranicas/claude-optimized-deployment')).toBe(true);
    expect(sameRepository('https://github.com/auditmark/auditmark.git', want)).toBe(false);
    expect(sameRepository('https://gitlab.com/Louranicas/claude-optimized-deployment.git', want)).toBe(false);
    // A bare project name identifies no repository.
    expect(repositoryKey('X-Filamenta-Python')).toBeUndefined();
    expect(repositoryKey('https://github.com/o/r.git')).toEqual({ host: 'github.com', path: 'o/r' });
  });
});

describe('sourceProvenance', () => {
  it('takes the commit of the named source work tree, clean', () => {
    const { dir, head } = repo({ 'app.py': 'print(1)\n' });
    const r = sourceProvenance({ source: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.git).toMatchObject({ commit: head, basis: 'source-option', dirty: false, changed: { count: 0, paths: [] } });
    expect('date' in r.git && Number.isNaN(Date.parse(r.git.date))).toBe(false);
  });

  it('records a tree with uncommitted changes as dirty: staged, unstaged and renamed tracked files; untracked files do not count', () => {
    const { dir, head } = repo({ 'a.py': 'a\n', 'b.py': 'b\n', 'c.py': 'c\n', 'sub/d.py': 'd\n' });
    writeFileSync(join(dir, 'a.py'), 'changed\n');
    writeFileSync(join(dir, 'b.py'), 'staged\n');
    git(dir, 'add', 'b.py');
    renameSync(join(dir, 'sub', 'd.py'), join(dir, 'sub', 'e.py'));
    git(dir, 'add', '-A', 'sub');
    writeFileSync(join(dir, 'untracked.txt'), 'new\n');
    const r = sourceProvenance({ source: join(dir, 'sub') });
    expect(r.git).toMatchObject({ commit: head, dirty: true, changed: { count: 3, paths: ['a.py', 'b.py', 'sub/e.py'] } });
  });

  it('lists only the first few changed paths but counts all of them', () => {
    const files = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`f${String(i).padStart(2, '0')}.txt`, `${i}\n`]));
    const { dir } = repo(files);
    for (const f of Object.keys(files)) writeFileSync(join(dir, f), 'x\n');
    const r = sourceProvenance({ source: dir });
    expect(r.git).toMatchObject({ dirty: true, changed: { count: 14 } });
    expect('changed' in r.git && r.git.changed.paths).toEqual(Object.keys(files).slice(0, MAX_CHANGED_PATHS));
  });

  it('uses the working directory only when one of its remotes is the configured repository', () => {
    const matching = repo({ 'x.py': '1\n' }, 'git@github.com:example/shop.git');
    expect(sourceProvenance({ cwd: matching.dir, repository: 'https://github.com/example/shop' }).git).toMatchObject({ commit: matching.head, basis: 'repository-remote' });
    const unrelated = repo({ 'y.py': '1\n' }, 'https://github.com/auditmark/auditmark.git');
    expect(sourceProvenance({ cwd: unrelated.dir, repository: 'https://github.com/example/shop' }).git).toEqual({ code: 'remote-mismatch', args: { repository: 'https://github.com/example/shop' } });
    // No repository configured: nothing to tell a checkout of the project from any other.
    expect(sourceProvenance({ cwd: matching.dir }).git).toEqual({ code: 'no-source', args: {} });
    const noRemote = repo({ 'z.py': '1\n' });
    expect(sourceProvenance({ cwd: noRemote.dir, repository: 'example/shop' }).git).toMatchObject({ code: 'remote-mismatch' });
    const plain = mkdtempSync(join(tmpdir(), 'am-prov-plain-'));
    expect(sourceProvenance({ cwd: plain, repository: 'example/shop' }).git).toEqual({ code: 'not-a-work-tree', args: { basis: 'working-directory' } });
  });

  it('refuses a source that is no directory, or whose remotes contradict the configured repository', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'am-prov-')), 'scan.json');
    writeFileSync(file, '{}');
    expect(sourceProvenance({ source: file }).diagnostics).toEqual([expect.objectContaining({ code: 'input/source-not-a-directory', level: 'error', file })]);
    const other = repo({ 'a.py': '1\n' }, 'https://github.com/auditmark/auditmark.git');
    const r = sourceProvenance({ source: other.dir, repository: 'https://github.com/example/shop' });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'input/source-remote-mismatch', level: 'error' })]);
    // A named work tree without remotes (a CI copy) is taken as named.
    const bare = repo({ 'a.py': '1\n' });
    expect(sourceProvenance({ source: bare.dir, repository: 'https://github.com/example/shop' }).git).toMatchObject({ commit: bare.head });
    // A named folder outside any work tree: not recorded, not an error.
    const plain = mkdtempSync(join(tmpdir(), 'am-prov-plain-'));
    expect(sourceProvenance({ source: plain })).toEqual({ git: { code: 'not-a-work-tree', args: { basis: 'source-option' } }, diagnostics: [] });
  });

  it('is not redirected by GIT_DIR and never runs a repository\'s fsmonitor hook', () => {
    const { dir, head } = repo({ 'a.py': '1\n' });
    const marker = join(dir, '..', `fsmonitor-ran-${Date.now()}`);
    writeFileSync(join(dir, 'hook.sh'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    git(dir, 'config', 'core.fsmonitor', join(dir, 'hook.sh'));
    const decoy = repo({ 'b.py': '1\n' });
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = join(decoy.dir, '.git');
    try {
      expect(sourceProvenance({ source: dir }).git).toMatchObject({ commit: head });
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
    expect(existsSync(marker)).toBe(false);
  });
});
