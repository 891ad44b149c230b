import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A bandit message that is a 1,200-level nested list (1.4 MB of indentation, so generated). */
export default function gen(dir: string): void {
  const list = Array.from({ length: 1200 }, (_, i) => ' '.repeat(i * 2) + '- item').join('\n');
  const result = { filename: 'app/main.py', issue_text: list, issue_severity: 'HIGH', issue_confidence: 'HIGH', line_number: 2, line_range: [2], test_id: 'B605', test_name: 'start_process_with_a_shell', code: '2 os.system(cmd)\n' };
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ errors: [], metrics: {}, results: [result] }));
}
