import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One finding whose message is 20 MB of words. */
export default function gen(dir: string): void {
  const result = { filename: 'a.py', issue_text: 'lorem ipsum dolor '.repeat(1_200_000), issue_severity: 'LOW', issue_confidence: 'LOW', line_number: 1, test_id: 'B101', test_name: 'x' };
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ errors: [], metrics: {}, results: [result] }));
}
