/**
 * A CommonJS package loaded with `require` on first use, once. For packages most runs never
 * need (the CVSS calculator, the purl parser): through a top-level `import` every run loaded
 * them, and Node's ESM loader first scans a CommonJS package's source for its named exports.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** A function that returns the package `name`, requiring it the first time it is called. */
export function requireOnce<T>(name: string): () => T {
  let value: T | undefined;
  return () => (value ??= load(name) as T);
}
