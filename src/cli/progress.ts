import { escapeForTerminal } from '../model/sanitize-terminal.ts';
import type { Io } from './print.ts';

/**
 * A progress callback for long renders: a single rewritten line on stderr when it is a TTY,
 * nothing otherwise (CI logs stay clean) or with --quiet/--json.
 */
export function progressPrinter(io: Io, silent: boolean, label: string): ((done: number, total: number) => void) | undefined {
  if (silent || !io.isTTY) return undefined;
  const started = Date.now();
  return (done, total) => {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    io.stderr(`\r${escapeForTerminal(label)}: part ${done}/${total} (${secs} s)${done === total ? '\n' : ''}`);
  };
}
