import type { Diagnostic } from '../model/diagnostics.ts';
import { escapeForTerminal, terminalName, terminalSafeJson } from '../model/sanitize-terminal.ts';

/**
 * One line per diagnostic: `file:line:col: level code: message (expected …; fix: …)`. The file
 * goes through the one terminal-safe quoting of names; every other part is escaped too, so a
 * diagnostic is always exactly one line and carries no control character from the data.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.line !== undefined ? `:${d.line}:${d.column ?? 1}` : d.pointer !== undefined ? `#${escapeForTerminal(d.pointer || '/')}` : '';
  const extra = [d.expected ? `expected ${d.expected}` : '', d.fix ? `fix: ${d.fix}` : ''].filter(Boolean).join('; ');
  return `${d.file !== undefined ? terminalName(d.file) : 'auditmark'}${place}: ${d.level} ${d.code}: ${escapeForTerminal(d.message + (extra ? ` (${extra})` : ''))}`;
}

/** Where the CLI writes; injected so tests can capture. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
}

/** The process's real streams. */
export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Print diagnostics: human lines, or with `json` exactly one JSON document on stderr. */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], json: boolean, exitCode: number, quiet = false): void {
  if (json) {
    io.stderr(terminalSafeJson(JSON.stringify({ diagnostics, exitCode })) + '\n');
    return;
  }
  for (const d of diagnostics) {
    if (quiet && d.level !== 'error') continue;
    io.stderr(formatDiagnostic(d) + '\n');
  }
}
