import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An advisory description with a list nested 1,200 levels by indentation, one item per line. */
export default function gen(dir: string): void {
  const description = Array.from({ length: 1_200 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ dependencies: [{ name: 'demo', version: '1.0.0', vulns: [{ id: 'PYSEC-2099-3', fix_versions: ['1.0.1'], aliases: [], description }] }], fixes: [] }));
}
