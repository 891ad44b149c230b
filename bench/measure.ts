import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Wall time and peak resident memory of a child process and all its descendants. */
export interface Measurement {
  seconds: number;
  /** Peak of the summed RSS of the whole process tree (node + Chromium), MB. Counts shared pages once per process. */
  peakTreeRssMb: number;
  /** Peak of the summed PSS of the tree, MB: shared pages split between the processes sharing them (what the tree really occupies). */
  peakTreePssMb: number;
  /** Peak RSS of the main (node) process alone, MB (VmHWM). */
  peakMainRssMb: number;
  /**
   * CPU time (user + system) of the child and every descendant it waited for (Chromium), s.
   * Less sensitive than wall time to other processes competing for the cores.
   */
  cpuSeconds: number;
  /**
   * CPU time (user + system) of the Chromium processes in the tree (browser, renderers, GPU,
   * utility), s: sampled with the memory, the last value of each process summed, so at most the
   * final 100 ms of each is missed. `cpuSeconds` cannot stand in for it: it holds only what was
   * waited for, which for a build was node and Chromium's main process (node's own CPU at exit
   * was 0.3 s less, measured) and for md-to-pdf not even that.
   */
  chromiumCpuSeconds: number;
  /** The child's own CPU time (not its children's), sampled the same way: at most 100 ms short. */
  mainCpuSeconds: number;
  exitCode: number;
  /** The run was stopped (its whole process group killed) after `timeoutMs`. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

function children(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = map.get(ppid) ?? [];
      list.push(Number(d));
      map.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  return map;
}

function pssKb(pid: number): number {
  try {
    const m = /Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function rssKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** A process's own CPU time (utime + stime), s, or undefined once it has ended. */
function cpuOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

function isChromium(pid: number): boolean {
  try {
    return /chrom|headless/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8'));
  } catch {
    return false;
  }
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time of this process's waited-for children (cutime + cstime of /proc/self/stat), s. */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command name start at field 3 (state); cutime and cstime are fields 16 and 17.
  return (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
}

/** Run a command, sampling the process tree's memory every 100 ms (Linux /proc). */
export function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, options: { timeoutMs?: number } = {}): Promise<Measurement> {
  return new Promise((resolve) => {
    const cpu0 = childrenCpuSeconds();
    const t0 = process.hrtime.bigint();
    // Its own process group, so a timeout stops it together with the Chromium it started.
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    const deadline = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    let stdout = '', stderr = '', peakTree = 0, peakPss = 0, peakMain = 0;
    const chromiumCpu = new Map<number, number>();
    let mainCpu = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setInterval(() => {
      if (!child.pid) return;
      const tree = children();
      let sum = 0, pss = 0;
      const stack = [child.pid];
      while (stack.length) {
        const p = stack.pop()!;
        sum += rssKb(p, 'VmRSS');
        pss += pssKb(p);
        if (p !== child.pid && (chromiumCpu.has(p) || isChromium(p))) {
          const c = cpuOf(p);
          if (c !== undefined) chromiumCpu.set(p, c);
        }
        stack.push(...(tree.get(p) ?? []));
      }
      peakTree = Math.max(peakTree, sum);
      peakPss = Math.max(peakPss, pss);
      peakMain = Math.max(peakMain, rssKb(child.pid, 'VmHWM'));
      mainCpu = cpuOf(child.pid) ?? mainCpu;
    }, 100);
    child.on('close', (code) => {
      clearInterval(timer);
      clearTimeout(deadline);
      resolve({
        seconds: Number(process.hrtime.bigint() - t0) / 1e9,
        peakTreeRssMb: peakTree / 1024,
        peakTreePssMb: peakPss / 1024,
        peakMainRssMb: peakMain / 1024,
        cpuSeconds: childrenCpuSeconds() - cpu0,
        chromiumCpuSeconds: [...chromiumCpu.values()].reduce((a, b) => a + b, 0),
        mainCpuSeconds: mainCpu,
        exitCode: code ?? -1,
        timedOut,
        stdout,
        stderr,
      });
    });
  });
}
