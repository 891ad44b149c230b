import type { Diagnostic } from '../model/diagnostics.ts';
import { quoteForTerminal, sanitizeForTerminal } from '../model/sanitize-terminal.ts';


/** One line per diagnostic: `file:line:col: level code: message (expected …; fix: …)`. */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.line !== undefined ? `:${d.line}:${d.column ?? 1}` : d.pointer !== undefined ? `#${d.pointer || '/'}` : '';
  const extra = [d.expected ? `expected ${d.expected}` : '', d.fix ? `fix: ${d.fix}` : ''].filter(Boolean).join('; ');
  // A file name may come from data (a bundle, a scan): quoted, it cannot break the line.
  const line = `${d.file === undefined ? 'auditmark' : quoteForTerminal(d.file)}${place}: ${d.level} ${d.code}: ${d.message}${extra ? ` (${extra})` : ''}`;
  return sanitizeForTerminal(line.replace(/\r?\n/g, ' '));
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
    io.stderr(JSON.stringify({ diagnostics, exitCode }) + '\n');
    return;
  }
  for (const d of diagnostics) {
    if (quiet && d.level !== 'error') continue;
    io.stderr(formatDiagnostic(d) + '\n');
  }
}
