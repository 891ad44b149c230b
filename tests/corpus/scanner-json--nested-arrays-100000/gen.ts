import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 100,000 nested arrays, generated at run time. */
export default function gen(dir: string): void {
  writeFileSync(join(dir, 'input.json'), '['.repeat(100_000) + ']'.repeat(100_000));
}
