import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
const [n, conc, rows, extra] = process.argv.slice(2);
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/pdf.ts', n!], { env: { ...process.env, CONCURRENCY: conc, ROWS_PER_PART: rows, AUDITMARK_EXTRA_ARGS: extra ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] });
let out = ''; child.stdout.on('data', (d) => (out += d));
let peakRss = 0, peakPss = 0, peakProcs = 0;
const t = setInterval(() => {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) { if (!/^\d+$/.test(d)) continue; try { const s = readFileSync(`/proc/${d}/stat`, 'utf8'); const ppid = Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]); (kids.get(ppid) ?? kids.set(ppid, []).get(ppid)!).push(Number(d)); } catch {} }
  let rss = 0, pss = 0, count = 0; const st = [child.pid!];
  while (st.length) { const p = st.pop()!; count++; try { const r = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'); rss += Number(/Rss:\s+(\d+)/.exec(r)?.[1] ?? 0); pss += Number(/Pss:\s+(\d+)/.exec(r)?.[1] ?? 0); } catch {} st.push(...(kids.get(p) ?? [])); }
  peakRss = Math.max(peakRss, rss); peakPss = Math.max(peakPss, pss); peakProcs = Math.max(peakProcs, count);
}, 100);
child.on('exit', () => { clearInterval(t); console.log(JSON.stringify({ n, conc, rows, peakTreeRssMb: Math.round(peakRss / 1024), peakTreePssMb: Math.round(peakPss / 1024), peakProcs, out: out.trim() })); });
