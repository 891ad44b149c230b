import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';

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
