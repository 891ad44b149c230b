/**
 * Generate `data/owasp/top10-<edition>.json` from `data/owasp/source-lists.md`, the committed
 * transcription of the official "List of Mapped CWEs" sections. Run: `npx tsx scripts/gen-owasp.ts`.
 * The unit test `tests/unit/enrich-owasp-data.test.ts` fails when the JSON and the lists drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One corrected entry of an official list. */
export interface OwaspErratum {
  listed: string;
  intended: string;
  note: string;
}

/** One OWASP Top 10 category with its mapped CWEs, exactly as the official page lists them. */
export interface OwaspCategory {
  id: string;
  name: string;
  /** Path of the category page in the source repository. */
  source: string;
  /** The official list, in page order, as `CWE-<n>`. */
  cwes: string[];
  /** Mistakes in the official list and how auditmark maps them. */
  errata?: OwaspErratum[];
}

/** The shipped mapping data of one edition. */
export interface OwaspData {
  edition: '2021' | '2025';
  title: string;
  source: { repository: string; section: string; retrieved: string; paths: string[] };
  license: string;
  attribution: string;
  categories: OwaspCategory[];
}

const REPOSITORY = 'https://github.com/OWASP/Top10';

/** Parse the transcription into one data object per edition (pure; the test calls it). */
export function parseSourceLists(markdown: string): OwaspData[] {
  const retrieved = /^Retrieved:\s*(\d{4}-\d{2}-\d{2})/m.exec(markdown)?.[1];
  if (!retrieved) throw new Error('source-lists.md: missing "Retrieved: YYYY-MM-DD" line');
  const out: OwaspData[] = [];
  let edition: OwaspData | undefined;
  let category: OwaspCategory | undefined;
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^## edition (\d{4})$/.exec(line))) {
      const ed = m[1] as '2021' | '2025';
      edition = {
        edition: ed,
        title: `OWASP Top 10:${ed}`,
        source: { repository: REPOSITORY, section: 'List of Mapped CWEs', retrieved, paths: [] },
        license: 'CC BY-SA 4.0',
        attribution: `Category names and CWE lists from the OWASP Top 10:${ed} (${REPOSITORY}), © OWASP Foundation, licensed under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/). auditmark ships the lists unchanged; errata are recorded per category and mapped in addition to the listed entry. This data file is shared under the same licence.`,
        categories: [],
      };
      out.push(edition);
      category = undefined;
    } else if ((m = /^### (A\d{2}:\d{4}) (.+)$/.exec(line))) {
      if (!edition) throw new Error(`category before edition: ${line}`);
      category = { id: m[1]!, name: m[2]!, source: '', cwes: [] };
      edition.categories.push(category);
    } else if ((m = /^source: (.+)$/.exec(line)) && category && edition) {
      category.source = m[1]!;
      edition.source.paths.push(m[1]!);
    } else if ((m = /^cwe: ([\d ]+)$/.exec(line)) && category) {
      category.cwes = m[1]!.trim().split(/\s+/).map((n) => `CWE-${Number(n)}`);
    } else if ((m = /^erratum: (\d+) -> (\d+) \| (.+)$/.exec(line)) && category) {
      (category.errata ??= []).push({ listed: `CWE-${m[1]}`, intended: `CWE-${m[2]}`, note: m[3]! });
    }
  }
  for (const ed of out) {
    if (ed.categories.length !== 10) throw new Error(`edition ${ed.edition}: ${ed.categories.length} categories, expected 10`);
    for (const c of ed.categories) if (!c.source || c.cwes.length === 0) throw new Error(`${c.id}: missing source or CWE list`);
  }
  return out;
}

/** The JSON text written for one edition (stable formatting, trailing newline). */
export function renderOwaspData(data: OwaspData): string {
  return JSON.stringify(data, null, 2) + '\n';
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const dir = new URL('../data/owasp/', import.meta.url);
  const editions = parseSourceLists(readFileSync(new URL('source-lists.md', dir), 'utf8'));
  for (const data of editions) {
    const target = new URL(`top10-${data.edition}.json`, dir);
    writeFileSync(target, renderOwaspData(data));
    process.stdout.write(`${fileURLToPath(target)}: ${data.categories.length} categories, ${data.categories.reduce((n, c) => n + c.cwes.length, 0)} entries\n`);
  }
}
