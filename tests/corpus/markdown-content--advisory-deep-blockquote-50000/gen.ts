import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A pip-audit report whose advisory description is 50,000 nested `>` (once: a stack overflow in the Markdown parser). */
export default function gen(dir: string): void {
  const description = `${'>'.repeat(50_000)} deep`;
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ dependencies: [{ name: 'demo', version: '1.0.0', vulns: [{ id: 'PYSEC-2099-1', fix_versions: ['1.0.1'], aliases: [], description }] }], fixes: [] }));
}
