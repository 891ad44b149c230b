import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { diag, type Diagnostic } from '../model/diagnostics.ts';

/**
 * The injected clock: SOURCE_DATE_EPOCH (seconds, reproducible-builds.org) when set, else now.
 * An invalid value is an input error, not a silent fallback, because it breaks reproducibility.
 */
export function resolveClock(env: NodeJS.ProcessEnv): { now: Date; diagnostics: Diagnostic[] } {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return { now: new Date(), diagnostics: [] };
  if (!/^\d{1,12}$/.test(raw.trim())) {
    return {
      now: new Date(),
      diagnostics: [diag('usage/source-date-epoch', 'error', `SOURCE_DATE_EPOCH="${raw}" is not a whole number of seconds`, { expected: 'seconds since 1970-01-01 UTC', fix: 'export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)' })],
    };
  }
  return { now: new Date(Number(raw.trim()) * 1000), diagnostics: [] };
}

/**
 * The last commit of the git work tree holding `file`, if any. Runs git without a shell, with a
 * short timeout; any failure means "not in a git work tree" (never "TBD").
 */
export function gitInfo(file: string): { commit: string; date: string } | undefined {
  try {
    const out = execFileSync('git', ['log', '-1', '--format=%H%x00%cI'], {
      cwd: dirname(file), encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    }).trim();
    const [commit, date] = out.split('\u0000');
    if (!commit || !/^[0-9a-f]{40,64}$/.test(commit) || !date) return undefined;
    return { commit, date: new Date(date).toISOString() };
  } catch {
    return undefined;
  }
}
