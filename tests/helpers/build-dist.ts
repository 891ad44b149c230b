/**
 * Vitest global setup: the CLI tests and the corpus run `bin/auditmark.js`, which runs the
 * compiled `dist/`, and every run (src/ too) loads the schema validators built into
 * `dist/schema-validators/`, the parsed template YAML of `dist/shipped-yaml.json` and the compiled
 * templates of `dist/shipped-templates.json`. `npm test`
 * builds first; this rebuilds when a source, a schema or a template is newer than the build (a
 * developer running `npx vitest run tests/corpus.test.ts` after an edit), so no test ever runs a
 * stale CLI, validator or record.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

function newest(dir: string): number {
  let t = 0;
  for (const rel of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })) t = Math.max(t, statSync(join(ROOT, dir, rel)).mtimeMs);
  return t;
}

/** Rebuild `dist/` when it is missing or older than `src/`, the schemas, the templates, their build scripts or the build config. */
export default function setup(): void {
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist/index.js')).mtimeMs;
  } catch {
    // no build yet
  }
  // Every build script counts (a new one cannot be forgotten here): an edit to one that `npm run build` does not run only costs a rebuild.
  const sources = Math.max(newest('src'), newest('schemas'), newest('templates'), newest('scripts'), statSync(join(ROOT, 'tsconfig.build.json')).mtimeMs, statSync(join(ROOT, 'tsconfig.json')).mtimeMs);
  if (built >= sources) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}
