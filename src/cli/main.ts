import { diag, type Diagnostic } from '../model/diagnostics.ts';
import { EXIT, exitCode } from '../policy/exit-code.ts';
import { HELP } from './help.ts';
import { sanitizeForTerminal } from '../model/sanitize-terminal.ts';
import { printDiagnostics, processIo, type Io } from './print.ts';

/** What a command returns: its diagnostics and the exit code. */
export interface CommandResult {
  diagnostics: Diagnostic[];
  exitCode: number;
}

type Command = (argv: string[], io: Io) => Promise<CommandResult>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  normalize: async () => (await import('./commands/normalize.ts')).normalize,
  validate: async () => (await import('./commands/validate.ts')).validate,
  build: async () => (await import('./commands/build.ts')).build,
  diff: async () => (await import('./commands/diff.ts')).diff,
  history: async () => (await import('./commands/history.ts')).history,
  templates: async () => (await import('./commands/templates.ts')).templates,
  verify: async () => (await import('./commands/verify.ts')).verify,
};

/**
 * The CLI entry: argv → command → exit code. The only place that catches: an unexpected
 * exception becomes an `internal/error` diagnostic and exit 3, never a stack trace dump.
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  if (!name) {
    // No command is a usage error: the help goes to stderr so a pipeline's stdout stays clean.
    io.stderr(HELP.main ?? '');
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    io.stdout((topic && HELP[topic]) || HELP.main || '');
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout((await import('../bundle/version.ts')).AUDITMARK_VERSION + '\n');
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    const d = diag('usage/unknown-command', 'error', `unknown command "${name}"`, { expected: Object.keys(COMMANDS).join(', '), fix: 'run `auditmark --help`' });
    printDiagnostics(io, [d], json, exitCode([d]));
    return exitCode([d]);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(HELP[name] ?? HELP.main ?? '');
    return 0;
  }
  let result: CommandResult;
  try {
    result = await (await load())(rest, io);
  } catch (err) {
    const e = err as Error;
    const diagnostics = [diag('internal/error', 'error', `unexpected failure: ${e.message}`, { fix: 'this is a bug in auditmark: please report it with the command and inputs' })];
    result = { diagnostics, exitCode: exitCode(diagnostics) };
    if (process.env.AUDITMARK_DEBUG) io.stderr(sanitizeForTerminal(String(e.stack)) + '\n');
  }
  printDiagnostics(io, result.diagnostics, json, result.exitCode, rest.includes('--quiet') || rest.includes('-q'));
  return result.exitCode;
}
