import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A 2 MB evidence log inside the state folder (real bytes, not sparse). */
export default function gen(dir: string): void {
  // git keeps no empty folder: the evidence folder exists only once something is put in it.
  mkdirSync(join(dir, 'state', 'evidence'), { recursive: true });
  writeFileSync(join(dir, 'state', 'evidence', 'big.log'), 'restore ok\n'.repeat(200_000));
}
