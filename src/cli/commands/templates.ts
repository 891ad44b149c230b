import { exitCode } from '../../policy/exit-code.ts';
import { parse } from '../args.ts';
import type { CommandResult } from '../main.ts';
import type { Io } from '../print.ts';
import { escapeForTerminal, terminalName, terminalSafeJson } from '../../model/sanitize-terminal.ts';
import { listTemplateDirs } from '../../bundle/templates-fs.ts';

/** `auditmark templates`: list shipped and project-local templates with their versions. */
export async function templates(argv: string[], io: Io): Promise<CommandResult> {
  const p = parse('templates', argv, { 'templates-dir': { type: 'string' } });
  if (!p.ok) return { diagnostics: [p.diagnostic], exitCode: 2 };
  const { templates: list, diagnostics } = listTemplateDirs(p.values['templates-dir'] ? [p.values['templates-dir']] : []);
  if (p.values.json) {
    io.stdout(terminalSafeJson(JSON.stringify(list.map((t) => ({ id: t.id, version: t.version, kind: t.manifest.kind, description: t.manifest.description, dir: t.dir })), null, 2)) + '\n');
  } else {
    // Tabs separate the columns, so no part may carry its own tab or line break.
    for (const t of list) io.stdout(`${terminalName(`${t.id}@${t.version}`)}\t${terminalName(String(t.manifest.kind))}\t${escapeForTerminal(String(t.manifest.description ?? ''))}\n`);
  }
  return { diagnostics, exitCode: exitCode(diagnostics) };
}
