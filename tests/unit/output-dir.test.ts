import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkOutputDir, probeOutputDir } from '../../src/bundle/output-dir.ts';
import { LOCK_NAME, writeOutputs } from '../../src/bundle/write.ts';

let cwd: string;
let outside: string;
beforeEach(() => {
  cwd = realpathSync(mkdtempSync(join(tmpdir(), 'am-outdir-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'am-outside-')));
  writeFileSync(join(outside, 'report.md'), 'precious');
});
const codes = (r: ReturnType<typeof checkOutputDir>) => (r.ok ? [] : [r.diagnostic.code]);
const one = [{ name: 'report.md', bytes: Buffer.from('new') }];

describe('checkOutputDir', () => {
  it('gives the physical path and what is missing, walking `..` as written', () => {
    mkdirSync(join(cwd, 'a'));
    expect(checkOutputDir('a/b/c', { cwd })).toEqual({ ok: true, path: join(cwd, 'a', 'b', 'c'), missing: [join(cwd, 'a', 'b'), join(cwd, 'a', 'b', 'c')] });
    expect(checkOutputDir('a/new/../x', { cwd })).toEqual({ ok: true, path: join(cwd, 'a', 'x'), missing: [join(cwd, 'a', 'x')] });
  });

  it('refuses a symlinked output directory, a symlinked parent and `..` through a symlink', () => {
    symlinkSync(outside, join(cwd, 'audit-report'));
    symlinkSync(outside, join(cwd, 'parent'));
    expect(codes(checkOutputDir('audit-report', { cwd }))).toEqual(['output/symlink']);
    expect(codes(checkOutputDir('audit-report/', { cwd }))).toEqual(['output/symlink']);
    expect(codes(checkOutputDir('parent/sub', { cwd }))).toEqual(['output/symlink']);
    expect(codes(checkOutputDir('parent/../x', { cwd }))).toEqual(['output/symlink']);
    expect(codes(checkOutputDir(join(cwd, 'audit-report'), { cwd }))).toEqual(['output/symlink']);
    expect(checkOutputDir('audit-report', { cwd, allowSymlinks: true })).toEqual({ ok: true, path: outside, missing: [] });
  });

  it('trusts a link above the working directory that leads to it, and refuses a file in the way', () => {
    const via = join(outside, 'via');
    symlinkSync(cwd, via);
    mkdirSync(join(cwd, 'out'));
    expect(checkOutputDir(join(via, 'out'), { cwd })).toEqual({ ok: true, path: join(cwd, 'out'), missing: [] });
    writeFileSync(join(cwd, 'file'), 'x');
    expect(codes(checkOutputDir('file/sub', { cwd }))).toEqual(['output/not-a-directory']);
    // An empty --out is refused rather than read as the working directory.
    expect(codes(checkOutputDir('', { cwd }))).toEqual(['output/not-a-directory']);
    expect(checkOutputDir('.', { cwd })).toEqual({ ok: true, path: cwd, missing: [] });
  });
});

describe('probeOutputDir', () => {
  it('leaves nothing behind, whether the directory existed or not', () => {
    const before = readdirSync(cwd);
    expect(probeOutputDir(join(cwd, 'new', 'deeper'), { cwd })).toEqual([]);
    expect(readdirSync(cwd)).toEqual(before);
    mkdirSync(join(cwd, 'out'));
    expect(probeOutputDir(join(cwd, 'out'), { cwd })).toEqual([]);
    expect(readdirSync(join(cwd, 'out'))).toEqual([]);
  });

  it('fails fast where no directory can be made (no spinning mkdir) and on an output file leading out', () => {
    expect(probeOutputDir('/proc/auditmark-probe/x', { cwd }).map((d) => d.code)).toEqual(['output/write-failed']);
    mkdirSync(join(cwd, 'out'));
    symlinkSync(join(outside, 'report.md'), join(cwd, 'out', 'report.md'));
    expect(probeOutputDir(join(cwd, 'out'), { cwd, names: ['report.md'] }).map((d) => d.code)).toEqual(['output/symlink']);
  });
});

describe('writeOutputs and symlinks in the path', () => {
  it('does not write through a symlinked output directory', async () => {
    // Outside the working directory and not leading to it: untrusted.
    const link = join(cwd, 'link');
    symlinkSync(outside, link);
    const r = await writeOutputs(link, one);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['output/symlink']);
    expect(readFileSync(join(outside, 'report.md'), 'utf8')).toBe('precious');
    expect(readdirSync(outside)).toEqual(['report.md']);
  });

  it('refuses a lock file that is a symlink (or a FIFO) instead of reading through it', async () => {
    const out = join(cwd, 'out');
    mkdirSync(out);
    symlinkSync(join(outside, 'report.md'), join(out, LOCK_NAME));
    const r = await writeOutputs(out, one, { lockWaitMs: 100 });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['output/symlink']);
    expect(existsSync(join(out, 'report.md'))).toBe(false);
    expect(readFileSync(join(outside, 'report.md'), 'utf8')).toBe('precious');
  });
});
