import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A 2 MB evidence log inside the state folder (real bytes, not sparse). */
export default function gen(dir: string): void {
  writeFileSync(join(dir, 'state', 'evidence', 'big.log'), 'restore ok\n'.repeat(200_000));
}
