import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One bandit result whose issue_text is 10 MB. */
export default function gen(dir: string): void {
  const result = { filename: 'app/a.py', issue_text: 'A'.repeat(10 * 1024 * 1024), issue_severity: 'HIGH', issue_confidence: 'HIGH', line_number: 3, line_range: [3], test_id: 'B602', test_name: 'subprocess_popen_with_shell_equals_true', code: '3 x\n' };
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ errors: [], metrics: {}, results: [result] }));
}
