import { readFileSync } from 'node:fs';
import { ingest } from '../../src/ingest/ingest.ts';
import { resolveSettings } from '../../src/settings/config.ts';
import { enrich, type EnrichInput } from '../../src/enrich/enrich.ts';
import { parseChecklistDefinition, parseChecklistState } from '../../src/settings/checklist.ts';
import type { ChecklistDefinition, ChecklistState } from '../../src/model/checklist.ts';
import type { ConfigOptions } from '../../src/model/config.ts';
import type { ScanRun } from '../../src/model/types.ts';

/** Real scanner outputs used by the enrich tests (see tests/fixtures/enrich/SOURCE.md). */
export const FIXTURES = {
  bandit: 'tests/fixtures/enrich/bandit-1.8.6-cwe-col-offset.json',
  pipAudit: 'tests/fixtures/enrich/pip-audit-new-15-vulns.json',
} as const;

const root = new URL('../../', import.meta.url);

/** Ingest real fixture files through the real readers. */
export function loadRuns(...files: string[]): ScanRun[] {
  const result = ingest(files.map((file) => ({ file, bytes: readFileSync(new URL(file, root)) })));
  const errors = result.diagnostics.filter((d) => d.level === 'error');
  if (errors.length > 0) throw new Error(`fixture did not ingest: ${JSON.stringify(errors)}`);
  return result.runs;
}

/** The checklist definition shipped with security-scan@1.0.0. */
export function shippedDefinition(): ChecklistDefinition {
  const r = parseChecklistDefinition(readFileSync(new URL('templates/security-scan/1.0.0/checklist.yaml', root), 'utf8'), 'checklist.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

/** Parse a checklist state written inline in a test; throws when the test's YAML is invalid. */
export function state(yaml: string): ChecklistState {
  const r = parseChecklistState(yaml, 'state.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

/** Run enrich with sensible test defaults. */
export function build(runs: ScanRun[], opts: { now?: string; config?: ConfigOptions; checklist?: EnrichInput['checklist']; evidenceHashes?: EnrichInput['evidenceHashes'] } = {}) {
  return enrich({
    runs,
    settings: resolveSettings({ project: 'proof-sketcher' }, opts.config ?? {}),
    now: new Date(opts.now ?? '2025-08-01T00:00:00Z'),
    inputs: runs.map((r) => ({ path: r.source.path, sha256: r.source.sha256, kind: 'scan' as const })),
    template: { id: 'security-scan', version: '1.0.0' },
    auditmarkVersion: '0.1.0',
    ...(opts.checklist ? { checklist: opts.checklist } : {}),
    ...(opts.evidenceHashes ? { evidenceHashes: opts.evidenceHashes } : {}),
  });
}
