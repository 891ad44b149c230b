/**
 * Run the auditmark CLI in-process through `main(argv, io)` with captured streams, a case
 * environment applied for the duration of the call (and restored afterwards), and the
 * working directory pinned to the repository root so relative paths mean the same thing
 * in every test file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';

/** The repository root (tests/cli/ is two levels below it). */
export const REPO_ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');

/** What one CLI invocation printed and returned. */
export interface CliRun {
  stdout: string;
  stderr: string;
  exit: number;
}

/**
 * Variables that change the CLI's behaviour from outside (clock, job summary, debug stack
 * traces). Cleared for every run so a developer's shell or a CI runner cannot change a
 * transcript; a case sets them explicitly when it needs them.
 */
const AMBIENT_ENV = ['SOURCE_DATE_EPOCH', 'GITHUB_STEP_SUMMARY', 'AUDITMARK_DEBUG', 'AUDITMARK_CHROME'];

/**
 * Run `auditmark <args>` in-process (in `cwd`, default the repository root). `env` values of `null` unset a variable. The process
 * environment and working directory are restored even when the command throws.
 */
export async function runCli(args: string[], env: Record<string, string | null> = {}, isTTY = false, cwd = REPO_ROOT): Promise<CliRun> {
  const saved = new Map<string, string | undefined>();
  const set = (k: string, v: string | null) => {
    if (!saved.has(k)) saved.set(k, process.env[k]);
    if (v === null) delete process.env[k];
    else process.env[k] = v;
  };
  for (const k of AMBIENT_ENV) set(k, null);
  for (const [k, v] of Object.entries(env)) set(k, v);
  const savedCwd = process.cwd();
  process.chdir(cwd);
  let stdout = '';
  let stderr = '';
  try {
    const exit = await main(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, isTTY });
    return { stdout, stderr, exit };
  } finally {
    process.chdir(savedCwd);
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A fresh private temporary directory for outputs. */
export function tempDir(prefix = 'auditmark-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
