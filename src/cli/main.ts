import { diag, hasErrors, type Diagnostic } from '../model/diagnostics.ts';
import { SCAN_SCHEMA_VERSION } from '../model/types.ts';
import { ingest } from '../ingest/ingest.ts';
import { parse } from './args.ts';
import { resolveLimits } from './context.ts';
import { HELP } from './help.ts';
import { printDiagnostics, processIo, type Io } from './print.ts';
import { readInputFile } from './read-input.ts';

/** What a command returns: its diagnostics and the exit code. */
export interface CommandResult {
  diagnostics: Diagnostic[];
  exitCode: number;
}

type Command = (argv: string[], io: Io) => Promise<CommandResult>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  normalize: async () => normalize,
  validate: async () => (await import('./cmd-validate.ts')).validate,
  build: async () => (await import('./cmd-build.ts')).build,
  diff: async () => (await import('./cmd-diff.ts')).diff,
  templates: async () => (await import('./cmd-templates.ts')).templates,
  verify: async () => (await import('./cmd-verify.ts')).verify,
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
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    io.stdout((topic && HELP[topic]) || HELP.main || '');
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout((await import('./version.ts')).AUDITMARK_VERSION + '\n');
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    const d = diag('usage/unknown-command', 'error', `unknown command "${name}"`, { expected: Object.keys(COMMANDS).join(', '), fix: 'run `auditmark --help`' });
    printDiagnostics(io, [d], json, 2);
    return 2;
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
    result = {
      diagnostics: [diag('internal/error', 'error', `unexpected failure: ${e.message}`, { fix: 'this is a bug in auditmark: please report it with the command and inputs' })],
      exitCode: 3,
    };
    if (process.env.AUDITMARK_DEBUG) io.stderr(String(e.stack) + '\n');
  }
  printDiagnostics(io, result.diagnostics, json, result.exitCode, rest.includes('--quiet') || rest.includes('-q'));
  return result.exitCode;
}

const normalize: Command = async (argv, io) => {
  const p = parse('normalize', argv, { format: { type: 'string' }, output: { type: 'string', short: 'o' } });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  if (p.positionals.length === 0) {
    return { diagnostics: [diag('usage/missing-input', 'error', 'normalize: no input file given', { fix: 'auditmark normalize <file…>' })], exitCode: 2 };
  }
  const { limits, diagnostics } = resolveLimits(undefined, p.values.limit);
  if (hasErrors(diagnostics)) return { diagnostics, exitCode: 2 };
  const inputs = [];
  for (const f of p.positionals) {
    const r = readInputFile(f, limits.maxInputBytes);
    if (r.ok) inputs.push({ file: f, bytes: r.bytes });
    else diagnostics.push(r.diagnostic);
  }
  const result = ingest(inputs, { format: p.values.format ?? 'auto', limits });
  diagnostics.push(...result.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics, exitCode: 2 };
  const text = JSON.stringify({ $schema: 'https://auditmark.dev/schemas/scan-1.0.json', schemaVersion: SCAN_SCHEMA_VERSION, runs: result.runs }, null, 2) + '\n';
  if (p.values.output) {
    const { writeSingleFile } = await import('./write.ts');
    const w = await writeSingleFile(p.values.output, text);
    diagnostics.push(...w);
    return { diagnostics, exitCode: hasErrors(w) ? 3 : 0 };
  }
  io.stdout(text);
  return { diagnostics, exitCode: 0 };
};
