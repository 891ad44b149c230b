import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
    expect(hash('evidence')).toEqual({ problem: 'not-a-file' });
    writeFileSync(join(root, 'state', 'evidence', 'big.txt'), 'x'.repeat(2048));
    expect(evidenceHasher(join(root, 'state', 'checklist.yaml'), { ...DEFAULT_LIMITS, maxInputBytes: 1024 })('evidence/big.txt')).toEqual({ problem: 'too-large' });
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
