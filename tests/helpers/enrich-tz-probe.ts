/**
 * Child-process probe for the TZ test: builds a report from fixed inputs (including YAML dates)
 * and prints it as JSON. The test runs it under several TZ values and compares the output.
 */
import { FIXTURES, build, loadRuns, shippedDefinition, state } from './enrich-fixtures.ts';

const s = state(`schemaVersion: "1.0"
attestations:
  - { item: backup-automation, status: pass, by: ops, at: 2025-07-31, expires: 2025-08-01 }
  - { item: error-monitoring, status: pass, by: ops, at: "2025-02-01T23:30:00-05:00" }
waivers:
  - { id: RISK-1, ruleId: B104, justification: reviewed, approver: CISO, expires: 2025-08-01 }
`);
const r = build(loadRuns(FIXTURES.bandit, FIXTURES.pipAudit), { now: '2025-08-01T23:00:00Z', checklist: { definition: shippedDefinition(), state: s } });
process.stdout.write(JSON.stringify(r));
