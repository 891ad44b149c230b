import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../src/ingest/ingest.ts';
import { SCAN_SCHEMA_VERSION } from '../src/model/types.ts';
import { validateSchema } from '../src/model/schema-validate.ts';
import { GOLDEN_ROOT, expectGolden, goldenCases, stableJson } from './helpers/golden.ts';

/**
 * One folder per real scanner output: `input.*` (a copy of the fixture, source in SOURCES.md
 * beside it), optional `args.json` ({"format": "..."}), and the goldens `expected.json`
 * (normalised scan document) and `messages.json` (diagnostics).
 */
describe('ingest goldens', () => {
  for (const name of goldenCases('ingest')) {
    it(name, () => {
      const dir = join(GOLDEN_ROOT, 'ingest', name);
      const inputName = readdirSync(dir).find((f) => f.startsWith('input'));
      if (!inputName) throw new Error(`${dir} has no input.* file`);
      const args = (() => { try { return JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')); } catch { return {}; } })();
      const bytes = readFileSync(join(dir, inputName));
      const result = ingest([{ file: inputName, bytes }], { format: args.format });
      const doc = { schemaVersion: SCAN_SCHEMA_VERSION, runs: result.runs };
      if (result.runs.length > 0) expect(validateSchema('scan', doc, inputName)).toEqual([]);
      expectGolden(join(dir, 'expected.json'), stableJson(doc));
      expectGolden(join(dir, 'messages.json'), stableJson(result.diagnostics));
    });
  }
});
