import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** An advisory description that is a list nested 1,200 levels on one line (`- - - … x`): minutes of parsing before the nesting bound. */
export default function gen(dir: string): void {
  const description = `${'- '.repeat(1_200)}x\n\nFixed in 1.0.1.`;
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ dependencies: [{ name: 'demo', version: '1.0.0', vulns: [{ id: 'PYSEC-2099-2', fix_versions: ['1.0.1'], aliases: [], description }] }], fixes: [] }));
}
