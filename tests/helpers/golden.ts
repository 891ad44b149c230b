import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Root of golden fixture folders. */
export const GOLDEN_ROOT = new URL('../golden/', import.meta.url).pathname;

/** The case folders of one stage, sorted. */
export function goldenCases(stage: string): string[] {
  const dir = join(GOLDEN_ROOT, stage);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

/**
 * Compare `actual` with the golden file; `UPDATE=1` rewrites it. A missing golden fails under
 * `CI` (it would otherwise be silently created and the test could never fail there).
 */
export function expectGolden(file: string, actual: string): void {
  const update = process.env.UPDATE === '1';
  if (update || (!existsSync(file) && !process.env.CI)) {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`missing golden ${file}: run with UPDATE=1 and review it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** Stable JSON for goldens: two-space indent, trailing newline. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
