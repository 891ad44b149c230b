import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's copies of the shared real scanner outputs: every one lives as the `input.json`
 * of its ingest golden folder (`tests/golden/ingest/<format>--<name>/`, provenance in SOURCE.md),
 * so tests never depend on a folder outside the repository.
 */
export const INGEST_GOLDEN = fileURLToPath(new URL('../golden/ingest/', import.meta.url));

/** Path of the copy of `<format>/<name>` (the shared fixture's folder and file name). */
export function realFixture(format: string, name: string): string {
  return join(INGEST_GOLDEN, `${format}--${name.replace(/\.json$/, '')}`, 'input.json');
}

/** The fixture file names of one format, as in the shared folder, sorted. */
export function realFixtureNames(format: string): string[] {
  return readdirSync(INGEST_GOLDEN)
    .filter((d) => d.startsWith(`${format}--`) && existsSync(join(INGEST_GOLDEN, d, 'input.json')))
    .map((d) => `${d.slice(format.length + 2)}.json`)
    .sort();
}

/** The shared fixtures folder beside the repository, when present (it is in CI and here). */
export const SHARED_REAL = fileURLToPath(new URL('../../../shared/fixtures/real/', import.meta.url));
