import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfined } from '../../src/bundle/confined-path.ts';
import { checklistDefinitionPath, displayPath, evidenceHasher } from '../../src/bundle/inputs.ts';
import { DEFAULT_LIMITS } from '../../src/model/limits.ts';

describe('evidenceHasher', () => {
  const root = mkdtempSync(join(tmpdir(), 'am-evidence-'));
  mkdirSync(join(root, 'state', 'evidence'), { recursive: true });
  writeFileSync(join(root, 'state', 'evidence', 'ok.txt'), 'restore test passed\n');
  writeFileSync(join(root, 'secret.txt'), 'outside the state folder\n');
  const hash = evidenceHasher(join(root, 'state', 'checklist.yaml'), DEFAULT_LIMITS);

  it('hashes evidence under the checklist state folder', () => {
    const expected = createHash('sha256').update('restore test passed\n').digest('hex');
    expect(hash('evidence/ok.txt')).toEqual({ sha256: expected });
  });
  it('says why a file is unusable: outside the folder (also via a symlink or an absolute path), missing, not a regular file, too large', () => {
    expect(hash('../secret.txt')).toEqual({ problem: 'outside' });
    expect(hash(join(root, 'secret.txt'))).toEqual({ problem: 'outside' });
    expect(hash('evidence/../../secret.txt')).toEqual({ problem: 'outside' });
    symlinkSync(join(root, 'secret.txt'), join(root, 'state', 'evidence', 'link.txt'));
    expect(hash('evidence/link.txt')).toEqual({ problem: 'outside' });
    expect(hash('evidence/missing.txt')).toEqual({ problem: 'missing' });
    // A NUL byte and a symlink loop are refused as such, before anything is opened.
    expect(hash('evidence/ok.txt\0')).toEqual({ problem: 'nul-in-path' });
    symlinkSync('loop-b', join(root, 'state', 'evidence', 'loop-a'));
    symlinkSync('loop-a', join(root, 'state', 'evidence', 'loop-b'));
    expect(hash('evidence/loop-a')).toEqual({ problem: 'symlink-loop' });
    expect(hash('evidence')).toEqual({ problem: 'not-a-file' });
    writeFileSync(join(root, 'state', 'evidence', 'big.txt'), 'x'.repeat(2048));
    expect(evidenceHasher(join(root, 'state', 'checklist.yaml'), { ...DEFAULT_LIMITS, maxInputBytes: 1024 })('evidence/big.txt')).toEqual({ problem: 'too-large' });
  });
  it('follows symlinks that stay inside, refuses one leading out by its text alone, and hashes each file once', () => {
    symlinkSync('ok.txt', join(root, 'state', 'evidence', 'alias.txt'));
    symlinkSync(join(root, 'secret.txt'), join(root, 'state', 'evidence', 'out.txt'));
    symlinkSync(join(root, 'nowhere', 'x'), join(root, 'state', 'evidence', 'dangling-out.txt'));
    const expected = createHash('sha256').update('restore test passed\n').digest('hex');
    expect(hash('evidence/alias.txt')).toEqual({ sha256: expected });
    expect(hash('./evidence//alias.txt')).toEqual({ sha256: expected });
    // An existing target and a dangling one outside give the same answer: no existence oracle.
    expect(hash('evidence/out.txt')).toEqual(hash('evidence/dangling-out.txt'));
  });
});

describe('resolveConfined', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'am-confined-')));
  const outside = realpathSync(mkdtempSync(join(tmpdir(), 'am-outside-')));
  mkdirSync(join(root, 'a', 'b'), { recursive: true });
  mkdirSync(join(outside, 'nested'));
  writeFileSync(join(root, 'a', 'file.txt'), 'x');
  writeFileSync(join(outside, 'secret.txt'), 'y');
  symlinkSync('b', join(root, 'a', 'to-b'));
  symlinkSync(join(root, 'a'), join(root, 'abs-a'));
  symlinkSync(join(outside, 'nested'), join(root, 'hop'));
  symlinkSync(outside, join(root, 'out-dir'));
  symlinkSync('l2', join(root, 'l1'));
  symlinkSync('l1', join(root, 'l2'));

  it('resolves like the kernel: symlinks followed, `..` applied to the resolved path', () => {
    expect(resolveConfined(root, 'a/to-b/../file.txt')).toEqual({ ok: true, path: join(root, 'a', 'file.txt') });
    expect(resolveConfined(root, 'abs-a/file.txt')).toEqual({ ok: true, path: join(root, 'a', 'file.txt') });
    expect(resolveConfined(root, './a//b/')).toEqual({ ok: true, path: join(root, 'a', 'b') });
  });
  it('refuses every way out, missing components, NUL and loops', () => {
    expect(resolveConfined(root, 'hop/../secret.txt')).toEqual({ ok: false, problem: 'outside' });
    expect(resolveConfined(root, 'out-dir/secret.txt')).toEqual({ ok: false, problem: 'outside' });
    expect(resolveConfined(root, 'a/../../x')).toEqual({ ok: false, problem: 'outside' });
    expect(resolveConfined(root, '/etc/passwd')).toEqual({ ok: false, problem: 'outside' });
    expect(resolveConfined(root, 'a/file.txt/x')).toEqual({ ok: false, problem: 'missing' });
    expect(resolveConfined(root, 'a/none')).toEqual({ ok: false, problem: 'missing' });
    expect(resolveConfined(root, 'a/file.txt\0')).toEqual({ ok: false, problem: 'nul' });
    expect(resolveConfined(root, 'l1')).toEqual({ ok: false, problem: 'loop' });
  });
});

describe('displayPath', () => {
  it('makes paths under the working directory relative and leaves others as given', () => {
    expect(displayPath('/work/x/scans/a.json', '/work/x')).toBe('scans/a.json');
    expect(displayPath('/elsewhere/a.json', '/work/x')).toBe('/elsewhere/a.json');
    expect(displayPath('scans/a.json', '/work/x')).toBe('scans/a.json');
    expect(displayPath('/work/xy/a.json', '/work/x')).toBe('/work/xy/a.json');
  });
});

describe('checklistDefinitionPath', () => {
  const cfg = (checklist?: string) => ({ file: 'conf/auditmark.config.yaml', sha256: '', bytes: 0, options: { checklist } });
  it('treats selectors as selectors and resolves file names against the config folder', () => {
    expect(checklistDefinitionPath(cfg('deployment-security@^1'))).toBeUndefined();
    expect(checklistDefinitionPath(cfg(undefined))).toBeUndefined();
    expect(checklistDefinitionPath(cfg('./my-checklist.yaml'))).toBe(join(process.cwd(), 'conf', 'my-checklist.yaml'));
    expect(checklistDefinitionPath(cfg('lists/x.json'))).toBe(join(process.cwd(), 'conf', 'lists', 'x.json'));
  });
});
