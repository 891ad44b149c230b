import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A 50 MB evidence file with real bytes (not sparse), written in chunks. */
export default function gen(dir: string): void {
  // git keeps no empty folder: the evidence folder exists only once something is put in it.
  mkdirSync(join(dir, 'state', 'evidence'), { recursive: true });
  const fd = openSync(join(dir, 'state', 'evidence', 'big.bin'), 'w');
  const chunk = Buffer.alloc(1024 * 1024, 'backup restore verified\n');
  for (let i = 0; i < 50; i++) writeSync(fd, chunk);
  closeSync(fd);
}
