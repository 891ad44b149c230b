/**
 * Child process for the concurrent-writers test: writes one complete set of outputs tagged with
 * its own name, several times, into the directory given on the command line.
 */
import { writeOutputs } from '../../src/bundle/write.ts';

const [dir, tag, rounds] = process.argv.slice(2) as [string, string, string];
const names = ['report.md', 'report.html', 'report.pdf', 'report.json', 'manifest.json'];
for (let r = 0; r < Number(rounds); r++) {
  // Large enough that writing takes a while, so the two writers really overlap.
  const files = names.map((name) => ({ name, bytes: new TextEncoder().encode(`${tag} round ${r} ${name}\n`.padEnd(2_000_000, tag.charAt(0))) }));
  const result = await writeOutputs(dir, files, { lockWaitMs: 60_000 });
  if (result.diagnostics.length > 0) {
    process.stderr.write(JSON.stringify(result.diagnostics) + '\n');
    process.exit(3);
  }
}
