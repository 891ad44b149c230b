import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { parseChecklistState } from '../src/settings/checklist.ts';
import { GOLDEN_ROOT, expectGolden, stableJson } from './helpers/golden.ts';
import { FIXTURES, build, loadRuns, shippedDefinition } from './helpers/enrich-fixtures.ts';

// Pins the whole Report model for the real bandit + pip-audit inputs and the example state,
// so any change in mapping, policy or wording shows up in review. `UPDATE=1` regenerates.
describe('enrich golden', () => {
  it('proof-sketcher: bandit 1.8.6 + pip-audit (15 vulns) + checklist state', () => {
    const dir = join(GOLDEN_ROOT, 'enrich', 'proof-sketcher');
    const stateText = readFileSync(new URL('fixtures/enrich/checklist-state.yaml', import.meta.url), 'utf8');
    const parsed = parseChecklistState(stateText, 'checklist-state.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const evidence = readFileSync(new URL('fixtures/enrich/evidence/backup-restore.txt', import.meta.url));
    const r = build(loadRuns(FIXTURES.bandit, FIXTURES.pipAudit), {
      checklist: { definition: shippedDefinition(), state: parsed.value, file: 'checklist-state.yaml' },
      evidenceHashes: new Map([['evidence/backup-restore.txt', { sha256: createHash('sha256').update(evidence).digest('hex') }]]),
    });
    expectGolden(join(dir, 'report.json'), stableJson(r.report));
    expectGolden(join(dir, 'diagnostics.json'), stableJson(r.diagnostics));
  });
});
