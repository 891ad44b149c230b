import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A message that is a 5 MB data: URI image in Markdown and HTML form. */
export default function gen(dir: string): void {
  const uri = 'data:image/svg+xml;base64,' + 'PHN2Zz4='.repeat(640 * 1024);
  const result = { filename: 'a.py', issue_text: `![i](${uri}) <img src="${uri}">`, issue_severity: 'LOW', issue_confidence: 'LOW', line_number: 1, test_id: 'B101', test_name: 'x' };
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ errors: [], metrics: {}, results: [result] }));
}
