import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBundle } from '../../helpers/verify-bundle.ts';

/** report.md is listed; a directory (with a file inside) stands in its place. */
export default function gen(dir: string): void {
  writeBundle(dir, { skipWrite: ['report.md'] });
  mkdirSync(join(dir, 'bundle', 'report.md'));
  writeFileSync(join(dir, 'bundle', 'report.md', 'inner.md'), '# not the report\n');
}
