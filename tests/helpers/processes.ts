import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of the processes (other than this one) whose environment contains `marker`: a child
 * started with a marker variable, and everything it started (Chromium inherits it), is found
 * this way even after it re-parented.
 */
export function processesWithMarker(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(marker)) pids.push(Number(name));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return pids;
}
