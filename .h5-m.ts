import { measure } from './bench/measure.ts';
const configs = [
  { n: 5000, c: 2, rows: 300 }, { n: 5000, c: 1, rows: 300 }, { n: 5000, c: 2, rows: 150 }, { n: 5000, c: 2, rows: 600 }, { n: 1000, c: 2, rows: 300 },
];
for (const k of configs) {
  const m = await measure(process.execPath, ['--import', 'tsx', 'bench/pdf.ts', String(k.n)], { ...process.env, CONCURRENCY: String(k.c), ROWS_PER_PART: String(k.rows) });
  console.log(JSON.stringify({ ...k, wall: m.seconds.toFixed(2), treeMb: m.peakTreeRssMb.toFixed(0), mainMb: m.peakMainRssMb.toFixed(0), out: m.stdout.trim() }));
}
