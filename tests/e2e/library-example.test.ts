/**
 * The README's library example (`examples/library.ts`) is a real program: run it as its own
 * process (through `auditmark`'s package exports, i.e. the compiled `dist/`), and check that it
 * exits by itself, wrote a complete signed bundle, and left no Chromium behind. The README must
 * show the file exactly as it is tested.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyBundle } from '../../src/bundle/verify.ts';
import { REPO_ROOT, tempDir } from '../cli/run-cli.ts';
import { processesWithMarker } from '../helpers/processes.ts';

const EXAMPLE = join(REPO_ROOT, 'examples/library.ts');

describe('examples/library.ts', () => {
  it('is shown in the README exactly as it is', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('```ts\n' + readFileSync(EXAMPLE, 'utf8') + '```');
  });

  it('builds, verifies and diffs a signed bundle with a PDF, then exits on its own with no browser left', async () => {
    const dir = tempDir();
    const out = join(dir, 'bundle');
    const marker = `AUDITMARK_EXAMPLE_MARK=${randomBytes(8).toString('hex')}`;
    const [key, value] = marker.split('=') as [string, string];
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', EXAMPLE, out], {
        cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SOURCE_DATE_EPOCH: '1798675200', [key]: value },
      });
      let stdout = '', stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      // No kill timer on purpose: a process that does not exit fails this test by its timeout.
      const exit = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
      expect({ exit, stderr }).toMatchObject({ exit: 0 });
      expect(stdout).toMatch(/verify: ok, signature valid/);
      expect(stdout).toMatch(/diff: 0 new, 0 fixed/);
      expect(processesWithMarker(marker)).toEqual([]);

      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { outputs: Array<{ path: string }> };
      expect(manifest.outputs.map((o) => o.path).sort()).toEqual(['report.html', 'report.json', 'report.md', 'report.pdf', 'report.sarif']);
      expect(readFileSync(join(out, 'report.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(existsSync(join(out, 'manifest.json.sig'))).toBe(true);
      const check = await verifyBundle(out);
      expect(check.ok).toBe(true);
      expect(existsSync(join(`${out}-diff`, 'diff.json'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
