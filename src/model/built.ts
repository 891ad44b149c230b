/**
 * What `npm run build` writes into `dist/` beside the compiled code, for runs to load instead of
 * doing that work at start-up: the schema validators (`scripts/schema-validators.ts`) and the
 * records of the shipped templates' YAML and Nunjucks files (`scripts/shipped-yaml.ts`,
 * `scripts/shipped-templates.ts`). Loaded with `require` (synchronous, once per file); this module
 * sits at the same depth in `src/` and `dist/`, so one relative path serves both.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** A file of the build's output (throws when it is missing). */
export function loadBuilt(file: string): unknown {
  return load(`../../dist/${file}`);
}

/**
 * A record of the build, read and shaped once, on first use; `null` when the build did not
 * write it (the caller then does the work itself, as without the record).
 */
export function builtRecord<T>(file: string, shape: (raw: unknown) => T): () => T | null {
  let value: T | null | undefined;
  return () => {
    if (value === undefined) {
      try {
        value = shape(loadBuilt(file));
      } catch {
        value = null;
      }
    }
    return value;
  };
}
