import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A bandit document whose first result nests 100,000 objects. */
export default function gen(dir: string): void {
  const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
  writeFileSync(join(dir, 'input.json'), `{"errors":[],"results":[{"filename":"a.py","extra":${deep}}],"metrics":{}}`);
}
