/**
 * The floor plan, enforced: files are rooms, imports are arrows, and arrows only point down.
 * README "Layout" lists each room's one rule; this test fails on any import that breaks one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** The room of a source file: its first folder under src/, or the file itself at the top. */
function roomOf(file: string): string {
  const rel = relative(SRC, file).split('\\').join('/');
  // Package data (data/, schemas/, package.json) is read-only input of any room.
  if (rel.startsWith('../')) return 'data';
  return rel.includes('/') ? rel.split('/')[0]! : rel.replace(/\.ts$/, '');
}

interface Arrow {
  from: string;
  to: string;
  fromRoom: string;
  toRoom: string;
}

function arrows(): Arrow[] {
  const out: Arrow[] = [];
  for (const rel of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    if (!/\.(ts|mjs)$/.test(rel)) continue;
    const from = join(SRC, rel);
    const text = readFileSync(from, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
      const spec = m[1] ?? m[2]!;
      const to = resolve(dirname(from), spec);
      out.push({ from: relative(SRC, from), to: relative(SRC, to), fromRoom: roomOf(from), toRoom: roomOf(to) });
    }
  }
  return out;
}

/**
 * Which rooms each room may import. Everything not listed is forbidden. `model` is the floor:
 * it imports nothing but itself.
 */
const ALLOWED: Record<string, readonly string[]> = {
  model: ['model'],
  policy: ['model', 'policy'],
  settings: ['model', 'settings', 'ingest'],
  ingest: ['model', 'ingest'],
  enrich: ['model', 'enrich'],
  diff: ['model', 'diff'],
  compose: ['model', 'compose', 'settings'],
  render: ['model', 'render', 'compose', 'bundle'],
  bundle: ['model', 'bundle', 'settings', 'ingest', 'compose', 'policy', 'plan'],
  plan: ['model', 'settings', 'ingest', 'enrich', 'compose', 'diff', 'plan'],
  pipeline: ['model', 'settings', 'ingest', 'enrich', 'compose', 'diff', 'policy', 'render', 'bundle', 'plan'],
  index: ['model', 'settings', 'ingest', 'enrich', 'compose', 'diff', 'policy', 'render', 'bundle', 'plan', 'pipeline'],
  cli: ['model', 'settings', 'policy', 'bundle', 'pipeline', 'cli'],
};

const all = arrows();

describe('layering', () => {
  it('finds the imports (self-check)', () => {
    expect(all.length).toBeGreaterThan(200);
    expect(Object.keys(ALLOWED).sort()).toEqual([...new Set(all.map((a) => a.fromRoom))].sort());
  });

  it('every import points down (see ALLOWED and the README layout)', () => {
    const bad = all.filter((a) => a.toRoom !== 'data' && !(ALLOWED[a.fromRoom] ?? []).includes(a.toRoom)).map((a) => `${a.from} → ${a.to}`);
    expect(bad).toEqual([]);
  });

  it('no core stage (ingest, settings, enrich, compose, diff) imports render, bundle or cli', () => {
    const core = new Set(['ingest', 'settings', 'enrich', 'compose', 'diff', 'model', 'policy']);
    const bad = all.filter((a) => core.has(a.fromRoom) && ['render', 'bundle', 'cli', 'pipeline'].includes(a.toRoom)).map((a) => `${a.from} → ${a.to}`);
    expect(bad).toEqual([]);
  });

  it('diff does not import compose; nothing outside cli/ imports cli/', () => {
    expect(all.filter((a) => a.fromRoom === 'diff' && a.toRoom === 'compose')).toEqual([]);
    expect(all.filter((a) => a.fromRoom !== 'cli' && a.toRoom === 'cli')).toEqual([]);
  });

  it('only render, bundle and cli touch the file system, child processes or the browser', () => {
    const effects = /from '(?:node:fs|node:fs\/promises|node:child_process|puppeteer-core|node:worker_threads)'/;
    const bad: string[] = [];
    for (const rel of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
      if (!rel.endsWith('.ts')) continue;
      const room = roomOf(join(SRC, rel));
      if (['render', 'bundle', 'cli'].includes(room)) continue;
      if (effects.test(readFileSync(join(SRC, rel), 'utf8'))) bad.push(rel);
    }
    expect(bad, 'modules with effects outside render/, bundle/, cli/').toEqual([]);
  });
});
