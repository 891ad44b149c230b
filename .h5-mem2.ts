import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
const child = spawn(process.execPath, ['--import', 'tsx', 'bench/pdf.ts', '2000'], { env: { ...process.env, CONCURRENCY: '2' }, stdio: ['ignore', 'pipe', 'inherit'] });
let out = ''; child.stdout.on('data', (d) => (out += d));
const peak = new Map<string, number>();
const t = setInterval(() => {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) { if (!/^\d+$/.test(d)) continue; try { const s = readFileSync(`/proc/${d}/stat`, 'utf8'); const ppid = Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]); (kids.get(ppid) ?? kids.set(ppid, []).get(ppid)!).push(Number(d)); } catch {} }
  const st = [child.pid!];
  while (st.length) { const p = st.pop()!; try { const r = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'); const pss = Number(/Pss:\s+(\d+)/.exec(r)?.[1] ?? 0); const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0'); const type = (cmd.find((a) => a.startsWith('--type=')) ?? (cmd[0]!.includes('node') ? 'node' : 'browser')) + ':' + p; peak.set(type, Math.max(peak.get(type) ?? 0, Math.round(pss / 1024))); } catch {} st.push(...(kids.get(p) ?? [])); }
}, 100);
child.on('exit', () => { clearInterval(t); console.log([...peak.entries()]); console.log(out); });
