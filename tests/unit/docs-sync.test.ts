import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BEGIN, END, codesSection, ungroupedCodes } from '../../scripts/docs.ts';
import { CATALOGUE } from '../../src/model/diagnostic-catalogue.ts';
import { DEFAULT_LIMITS } from '../../src/model/limits.ts';

// Diagnostic codes are a public contract (scripts match on them): each is declared once in the
// catalogue, `diag()` only compiles with a declared code, and the README's tables are generated
// from the catalogue. These tests keep the three in step.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function sources(): string {
  const out: string[] = [];
  for (const rel of readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })) {
    if (rel.endsWith('.ts') && !rel.endsWith('diagnostic-catalogue.ts')) out.push(readFileSync(join(ROOT, 'src', rel), 'utf8'));
  }
  return out.join('\n');
}

describe('diagnostic codes', () => {
  it('README.md carries exactly the tables generated from the catalogue (run `npm run docs`)', () => {
    const a = readme.indexOf(BEGIN);
    const b = readme.indexOf(END);
    expect(a, 'README.md lacks the generated diagnostic-codes block').toBeGreaterThan(-1);
    expect(readme.slice(a, b + END.length)).toBe(codesSection());
  });

  it('puts every code in a README group', () => {
    expect(ungroupedCodes()).toEqual([]);
  });

  it('declares no code that the source never raises', () => {
    const src = sources();
    const schemaNames = /export type SchemaName\s*=([^;]+);/.exec(src)?.[1] ?? '';
    const unused = Object.keys(CATALOGUE).filter((code) => {
      if (src.includes(`'${code}'`)) return false;
      // validateSchema(name, …) raises `schema/<name>` for every SchemaName.
      return !(code.startsWith('schema/') && schemaNames.includes(`'${code.slice('schema/'.length)}'`));
    });
    expect(unused, `catalogue codes no call site uses (remove them or use them): ${unused.join(', ')}`).toEqual([]);
  });
});

describe('README.md documents every limit', () => {
  it('lists every limit with its default value', () => {
    const lines = readme.split('\n');
    const missing = Object.entries(DEFAULT_LIMITS)
      .filter(([name, value]) => !lines.some((l) => l.includes(`\`${name}\``) && new RegExp(`(?<![\\d.])${value}(?![\\d.])`).test(l)))
      .map(([name, value]) => `${name} (${value})`);
    expect(missing, `limits missing from README.md or shown without their default: ${missing.join(', ')}`).toEqual([]);
  });
});
