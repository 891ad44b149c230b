const root = process.argv[2];
const { ingest } = await import(`${root}/src/ingest/ingest.ts`);
const { syntheticSarif } = await import(`${root}/bench/normalize-sarif.ts`);
const bytes = Buffer.from(syntheticSarif(100000));
const c0 = process.cpuUsage(); const t0 = performance.now();
const r = ingest([{ file: 's.sarif', bytes }]);
const wall = (performance.now() - t0) / 1000; const c = process.cpuUsage(c0);
const cpu = (c.user + c.system) / 1e6;
console.log(JSON.stringify({ root, wall: wall.toFixed(2), cpu: cpu.toFixed(2), mbPerCpuSec: (bytes.length / 1048576 / cpu).toFixed(1), mbPerSec: (bytes.length / 1048576 / wall).toFixed(1), findings: r.runs[0].findings.length, rss: (process.resourceUsage().maxRSS / 1024) | 0 }));
