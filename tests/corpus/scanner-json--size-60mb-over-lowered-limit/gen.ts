import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A 60 MB bandit document with real content (not a sparse file), written in chunks. */
export default function gen(dir: string): void {
  const fd = openSync(join(dir, 'input.json'), 'w');
  const item = JSON.stringify({ filename: 'a.py', issue_text: 'x'.repeat(900), issue_severity: 'LOW', issue_confidence: 'LOW', line_number: 1, test_id: 'B101' });
  writeSync(fd, '{"errors":[],"metrics":{},"results":[' + item);
  const chunk = (',' + item).repeat(1000);
  for (let written = 0; written < 60 * 1024 * 1024; written += chunk.length) writeSync(fd, chunk);
  writeSync(fd, ']}');
  closeSync(fd);
}
