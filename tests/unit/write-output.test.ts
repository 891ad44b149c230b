import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSafeOutputName, LOCK_NAME, safeOutputName, writeOutputs, type OutputFile } from '../../src/bundle/write.ts';

const run = promisify(execFile);
const enc = (s: string) => new TextEncoder().encode(s);
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'auditmark-write-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const set = (tag: string): OutputFile[] => ['report.md', 'report.html', 'report.pdf', 'manifest.json'].map((name) => ({ name, bytes: enc(`${tag}:${name}`) }));
const contents = (d: string) => Object.fromEntries(readdirSync(d).sort().map((n) => [n, readFileSync(join(d, n), 'utf8')]));
const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });

describe('writeOutputs', () => {
  it('writes every file, creates the directory, leaves no temp or lock file', async () => {
    const out = join(dir, 'nested', 'out');
    const result = await writeOutputs(out, set('v1'));
    expect(result.diagnostics).toEqual([]);
    expect(result.written).toHaveLength(4);
    expect(contents(out)).toEqual({ 'manifest.json': 'v1:manifest.json', 'report.html': 'v1:report.html', 'report.md': 'v1:report.md', 'report.pdf': 'v1:report.pdf' });
  });

  it('replaces previous outputs as a set', async () => {
    await writeOutputs(dir, set('v1'));
    await writeOutputs(dir, set('v2'));
    expect(Object.values(contents(dir)).every((c) => c.startsWith('v2:'))).toBe(true);
  });

  it('leaves previous outputs byte-for-byte intact when writing a temp file fails (disk full)', async () => {
    await writeOutputs(dir, set('v1'));
    const before = contents(dir);
    let opens = 0;
    const result = await writeOutputs(dir, set('v2'), {
      fs: {
        open: (async (path: string, flags: string, mode?: number) => {
          if (String(path).includes('auditmark-tmp') && ++opens === 3) throw errno('ENOSPC');
          return fsp.open(path, flags, mode);
        }) as typeof fsp.open,
      },
    });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['output/disk-full']);
    expect(result.written).toEqual([]);
    expect(contents(dir)).toEqual(before);
  });

  it('rolls back renames already done when a later rename fails', async () => {
    await writeOutputs(dir, set('v1'));
    const before = contents(dir);
    let renames = 0;
    const result = await writeOutputs(dir, [...set('v2'), { name: 'report.json', bytes: enc('new file') }], {
      fs: {
        rename: (async (a: string, b: string) => {
          if (++renames === 4) throw errno('EIO');
          return fsp.rename(a, b);
        }) as typeof fsp.rename,
      },
    });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['output/write-failed']);
    expect(contents(dir)).toEqual(before);
  });

  it('reports a read-only directory as output/permission (injected: root ignores mode bits)', async () => {
    await writeOutputs(dir, set('v1'));
    const before = contents(dir);
    const result = await writeOutputs(dir, set('v2'), {
      fs: {
        open: (async (path: string, flags: string, mode?: number) => {
          if (String(path).includes('auditmark-tmp')) throw errno('EACCES');
          return fsp.open(path, flags, mode);
        }) as typeof fsp.open,
      },
    });
    expect(result.diagnostics[0]?.code).toBe('output/permission');
    expect(result.diagnostics[0]?.fix).toMatch(/writable/);
    expect(contents(dir)).toEqual(before);
  });

  it.skipIf(process.getuid?.() === 0)('reports a real read-only directory', async () => {
    await fsp.chmod(dir, 0o500);
    try {
      const result = await writeOutputs(dir, set('v1'));
      expect(result.diagnostics[0]?.code).toBe('output/permission');
    } finally {
      await fsp.chmod(dir, 0o700);
    }
  });

  it('refuses to replace a symlink pointing outside the output directory', async () => {
    const outside = join(dir, 'outside');
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(outside, 'precious');
    symlinkSync(outside, join(out, 'report.pdf'));
    const result = await writeOutputs(out, set('v1'));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['output/symlink']);
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    expect(lstatSync(join(out, 'report.pdf')).isSymbolicLink()).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['report.pdf']);
    const allowed = await writeOutputs(out, set('v1'), { allowSymlinks: true });
    expect(allowed.diagnostics).toEqual([]);
    expect(readFileSync(outside, 'utf8')).toBe('precious');
  });

  it('removes stale temp files and takes over a lock left by a dead process', async () => {
    writeFileSync(join(dir, '.report.pdf.auditmark-tmp-999999-abcdef'), 'half written');
    writeFileSync(join(dir, '.report.md.auditmark-bak-999999-abcdef'), 'old backup');
    writeFileSync(join(dir, LOCK_NAME), '999999\n');
    writeFileSync(join(dir, 'notes.txt'), 'user file');
    const result = await writeOutputs(dir, set('v1'));
    expect(result.diagnostics).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'notes.txt', 'report.html', 'report.md', 'report.pdf']);
  });

  it('fails with output/locked while a live process holds the lock', async () => {
    writeFileSync(join(dir, LOCK_NAME), `${process.ppid}\n`);
    const result = await writeOutputs(dir, set('v1'), { lockWaitMs: 200 });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['output/locked']);
    expect(existsSync(join(dir, 'report.md'))).toBe(false);
  });

  it('rejects unsafe names before touching the disk', async () => {
    for (const name of ['../../.bashrc', '/etc/passwd', '..\\..\\x', 'CON', 'nul.pdf', 'report.', '.hidden']) {
      const result = await writeOutputs(join(dir, 'never'), [{ name, bytes: enc('x') }]);
      expect(result.diagnostics.map((d) => d.code), name).toEqual(['output/bad-name']);
    }
    expect(existsSync(join(dir, 'never'))).toBe(false);
    const derived = safeOutputName('../../Été ünïcödé '.repeat(20), 'pdf');
    expect(isSafeOutputName(derived)).toBe(true);
    expect(safeOutputName('a/b', 'pdf')).not.toBe(safeOutputName('a b', 'pdf'));
  });

  it('two concurrent builds into one directory give one complete set', async () => {
    const child = new URL('../helpers/write-outputs-child.ts', import.meta.url).pathname;
    const start = (tag: string) => run(process.execPath, ['--import', 'tsx', child, dir, tag, '4']);
    await Promise.all([start('Alpha'), start('Bravo')]);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['manifest.json', 'report.html', 'report.json', 'report.md', 'report.pdf']);
    const heads = files.map((f) => readFileSync(join(dir, f), 'utf8').split(' ').slice(0, 3).join(' '));
    expect(new Set(heads).size).toBe(1);
    expect(heads[0]).toMatch(/^(Alpha|Bravo) round 3$/);
  });
});
