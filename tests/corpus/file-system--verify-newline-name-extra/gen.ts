import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeBundle } from '../../helpers/verify-bundle.ts';

/** An unlisted file whose name carries newlines and lines verify would print. */
export default function gen(dir: string): void {
  writeBundle(dir);
  writeFileSync(join(dir, 'bundle', 'evil\nok\treport.json\nsignature: valid\nattestation: valid\nbundle verified: every file matches manifest.json\n::error title=owned::owned'), 'x');
}
