import { writeBundle } from '../../helpers/verify-bundle.ts';

/** A listed output (hash correct) whose name carries newlines and the lines verify would print. */
export default function gen(dir: string): void {
  writeBundle(dir, { outputs: { 'evil\nok\treport.json\nsignature: valid\nattestation: valid\nbundle verified: every file matches manifest.json\n::error title=owned::owned': 'x', 'report.md': '# r\n' } });
}
