/**
 * CLI golden transcripts: one folder per case under `tests/golden/cli/<case>/` with
 * `cmd.json` (`{"args": [...], "env": {...}}`, paths relative to the repository root) and the
 * goldens `stdout.txt`, `stderr.txt` and `exit.txt`. The CLI runs in-process through
 * `main(argv, io)`. An argument `<tmp>` is replaced by a fresh temporary directory (for
 * commands that write); that directory and the repository root are the only things
 * normalised in the transcripts, so a transcript shows exactly what a user sees.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_ROOT, expectGolden, goldenCases } from './helpers/golden.ts';
import { REPO_ROOT, runCli, tempDir } from './cli/run-cli.ts';

interface CliCase {
  args: string[];
  env?: Record<string, string | null>;
}

const TMP = '<tmp>';

function readCase(dir: string): CliCase {
  const c = JSON.parse(readFileSync(join(dir, 'cmd.json'), 'utf8')) as CliCase;
  if (!Array.isArray(c.args) || !c.args.every((a) => typeof a === 'string')) throw new Error(`${dir}/cmd.json: "args" must be an array of strings`);
  return c;
}

const cases = goldenCases('cli');

describe('CLI golden transcripts', () => {
  it('has the transcript cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(GOLDEN_ROOT, 'cli', name);
      const c = readCase(dir);
      const tmp = c.args.some((a) => a.includes(TMP)) ? tempDir('auditmark-cli-') : undefined;
      try {
        const args = c.args.map((a) => (tmp ? a.split(TMP).join(tmp) : a));
        const r = await runCli(args, c.env ?? {});
        const clean = (s: string) => {
          let out = s.split(REPO_ROOT).join('<repo>');
          if (tmp) out = out.split(tmp).join(TMP);
          return out;
        };
        expectGolden(join(dir, 'stdout.txt'), clean(r.stdout));
        expectGolden(join(dir, 'stderr.txt'), clean(r.stderr));
        expectGolden(join(dir, 'exit.txt'), `${r.exit}\n`);
        if (tmp && r.exit === 2) {
          // Exit 2 means invalid usage or input: nothing may have been written.
          expect(readdirSync(tmp), 'files written despite exit 2').toEqual([]);
        }
        if (args.includes('--json')) {
          // The --json contract: exactly one JSON document on stderr, carrying the exit code.
          expect(r.stderr.endsWith('\n') && r.stderr.indexOf('\n') === r.stderr.length - 1, 'one line on stderr').toBe(true);
          expect(JSON.parse(r.stderr)).toMatchObject({ exitCode: r.exit, diagnostics: expect.any(Array) });
        }
      } finally {
        if (tmp) rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});

describe('bin/auditmark.js', () => {
  it('runs the same CLI as a real process (stdout and exit code match the in-process run)', async () => {
    const inProcess = await runCli(['--help']);
    const out = execFileSync(process.execPath, [join(REPO_ROOT, 'bin/auditmark.js'), '--help'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(inProcess.exit).toBe(0);
    expect(out).toBe(inProcess.stdout);
  });

  it('exits 2 with the usage error on stderr for an unknown command', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [join(REPO_ROOT, 'bin/auditmark.js'), 'frobnicate'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      status = err.status;
      stderr = err.stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/usage\/unknown-command/);
  });
});
