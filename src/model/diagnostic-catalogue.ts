/**
 * Every diagnostic code auditmark can report, declared once: its category (which decides the exit
 * code, see `src/policy/exit-code.ts`), the levels it is raised with, what it means and how to fix
 * it. The README's "Diagnostic codes" section is generated from this table (`npm run docs`), and
 * `diag()` only accepts codes declared here, so an undeclared code does not compile.
 *
 * It lives in model/ rather than policy/ because every stage reports diagnostics: the catalogue
 * must sit below all of them, and policy/ only reads it.
 */
import type { DiagnosticLevel } from './diagnostics.ts';

/**
 * What kind of failure a code is. `usage` and `input`: fix the command or the input (exit 2,
 * nothing written). `render` and `output`: rendering or writing failed (exit 3, previous outputs
 * intact). `policy`: a gate failed (exit 1). `verify`: a bundle did not verify (exit 1).
 * `internal`: a bug (exit 3).
 */
export type DiagnosticCategory = 'usage' | 'input' | 'render' | 'output' | 'policy' | 'verify' | 'internal';

/** One declared code. */
export interface CodeSpec {
  category: DiagnosticCategory;
  levels: readonly DiagnosticLevel[];
  /** What the code means (Markdown, shown in the README). */
  meaning: string;
  /** How to fix it (Markdown, shown in the README); call sites may give a more specific fix. */
  fix: string;
}

/** README groups: a heading per code family, in order, with an optional intro paragraph. */
export const CODE_GROUPS: ReadonlyArray<{ prefixes: readonly string[]; title: string; intro?: string }> = [
  { prefixes: ['usage'], title: '`usage/…` — command line' },
  { prefixes: ['input'], title: '`input/…` — reading input files' },
  { prefixes: ['limit'], title: '`limit/…` — safety limits' },
  { prefixes: ['ingest'], title: '`ingest/…` — scanner output content' },
  { prefixes: ['schema'], title: '`schema/…` — JSON Schema validation', intro: 'Raised by `validateSchema(name, …)` when the caller gives no code of its own. The CLI emits\n`schema/scan` (normalised scan documents); config, checklist and template-manifest validation\nreport `config/invalid`, `checklist/invalid`, `checklist-definition/invalid` and\n`template/bad-manifest` instead. Library callers of `validateSchema` can get every name.' },
  { prefixes: ['config'], title: '`config/…` — `auditmark.config.yaml`' },
  { prefixes: ['yaml'], title: '`yaml/…` — YAML syntax (config, checklist state and definitions)' },
  { prefixes: ['checklist'], title: '`checklist/…` — checklist state (`--checklist`)' },
  { prefixes: ['checklist-definition'], title: '`checklist-definition/…` — checklist definitions' },
  { prefixes: ['waiver'], title: '`waiver/…` — waivers' },
  { prefixes: ['template'], title: '`template/…` — templates' },
  { prefixes: ['frontmatter'], title: '`frontmatter/…` — document frontmatter' },
  { prefixes: ['html'], title: '`html/…` — HTML rendering' },
  { prefixes: ['render'], title: '`render/…` — rendering (its time budget)' },
  { prefixes: ['pdf'], title: '`pdf/…` — PDF rendering' },
  { prefixes: ['output'], title: '`output/…` — writing outputs' },
  { prefixes: ['sarif'], title: '`sarif/…` — SARIF export' },
  { prefixes: ['sign'], title: '`sign/…` — signing' },
  { prefixes: ['verify'], title: '`verify/…` — `auditmark verify`' },
  { prefixes: ['vex'], title: '`vex/…` — VEX documents (`--vex`)' },
  { prefixes: ['kev', 'epss', 'osv'], title: '`kev/…`, `epss/…`, `osv/…` — exploitability and advisory snapshots (`--kev`, `--epss`, `--osv`)' },
  { prefixes: ['history'], title: '`history/…` — `auditmark history`' },
  { prefixes: ['gate', 'internal'], title: '`gate/…` and `internal/…`' },
];

/** The catalogue. */
export const CATALOGUE = {
  'usage/invalid': {
    category: 'usage',
    levels: ['error'],
    meaning: 'The command line could not be parsed: an unknown option or one missing its value, an unexpected or missing positional argument (build takes none, diff takes two, verify takes one), or an invalid `--paper` value.',
    fix: 'Run `auditmark <command> --help` and correct the named option or argument.',
  },
  'usage/missing-input': {
    category: 'usage',
    levels: ['error'],
    meaning: 'A required input was not given: `build` without `--scan`, or `validate`/`normalize` without a file.',
    fix: 'Pass the input, e.g. `auditmark build --scan bandit.json --out report/`.',
  },
  'usage/unknown-command': {
    category: 'usage',
    levels: ['error'],
    meaning: 'The first argument is not one of auditmark\'s commands; `expected` lists them.',
    fix: 'Run `auditmark --help` and use one of the listed commands.',
  },
  'usage/invalid-limit': {
    category: 'usage',
    levels: ['error'],
    meaning: 'A `--limit` flag is not `name=<integer>` or names no known limit; `expected` lists the limit names.',
    fix: 'Use a name from [Limits](#limits), e.g. `--limit maxInputBytes=209715200`.',
  },
  'usage/invalid-format': {
    category: 'usage',
    levels: ['error'],
    meaning: 'An entry of the output `--format` list (build, diff) is not an output format.',
    fix: 'Use a comma-separated list of the formats named in `expected`, e.g. `--format md,html,pdf,json`.',
  },
  'usage/unknown-format': {
    category: 'usage',
    levels: ['error'],
    meaning: 'The scanner format forced with `normalize --format` or `build --format-in` names no reader; `expected` lists the reader ids.',
    fix: 'Pass one of the listed reader ids, or omit the option to detect the format.',
  },
  'usage/invalid-gate': {
    category: 'usage',
    levels: ['error'],
    meaning: 'A `--fail-on` rule could not be parsed; `expected` lists the accepted forms.',
    fix: 'Pass one rule per `--fail-on`, e.g. `--fail-on new:high --fail-on "status:REMEDIATION REQUIRED"`.',
  },
  'usage/gate-needs-baseline': {
    category: 'usage',
    levels: ['error'],
    meaning: 'A `--fail-on` rule that compares against a baseline (e.g. `new:high`) was given to `build`.',
    fix: 'Use it with `auditmark diff <baseline> <current>`; `build` accepts `status:<STATUS>` and `expired-waivers`.',
  },
  'usage/key-unreadable': {
    category: 'usage',
    levels: ['error'],
    meaning: 'The key file named by `build --sign` or `verify --key` cannot be read (the OS error code is in the message; `file` is the key path).',
    fix: 'Check the path and permissions; create a key with `openssl genpkey -algorithm ed25519 -out key.pem`.',
  },
  'usage/input-is-output': {
    category: 'usage',
    levels: ['error'],
    meaning: 'A diff input path (`file`) is also one of the files this diff would write into `--out`.',
    fix: 'Choose another `--out` directory.',
  },
  'usage/source-date-epoch': {
    category: 'usage',
    levels: ['error'],
    meaning: 'The `SOURCE_DATE_EPOCH` environment variable is not a whole number of seconds.',
    fix: 'Unset it, or `export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`.',
  },
  'input/unreadable': {
    category: 'input',
    levels: ['error'],
    meaning: 'The input `file` does not exist or cannot be read (the message says which).',
    fix: 'Check the path; check the file permissions.',
  },
  'input/not-a-file': {
    category: 'input',
    levels: ['error'],
    meaning: 'The input `file` is a directory, a FIFO or another non-regular file.',
    fix: 'Pass the path of the scanner output file itself.',
  },
  'input/duplicate': {
    category: 'input',
    levels: ['warning'],
    meaning: 'Two input files have identical bytes (the same scan given twice); the second is ignored so no count is doubled.',
    fix: 'Pass each scanner output once.',
  },
  'input/empty': {
    category: 'input',
    levels: ['error'],
    meaning: 'The input `file` is empty or only whitespace, which a crashed scanner also leaves.',
    fix: 'Check the scanner ran; if it truly found nothing, pass `--format <tool>` (`--format-in` for build) to accept the empty file as zero findings.',
  },
  'input/empty-accepted': {
    category: 'input',
    levels: ['warning'],
    meaning: 'The empty input `file` was accepted as a run with no findings because the reader was forced.',
    fix: 'Nothing, if the scanner really found nothing.',
  },
  'input/utf16': {
    category: 'input',
    levels: ['error'],
    meaning: 'The input `file` starts with a UTF-16 byte-order mark (e.g. written by PowerShell\'s `>`).',
    fix: 'Write the output as UTF-8 (PowerShell: `| Out-File -Encoding utf8`), or convert it with `iconv -f UTF-16 -t UTF-8`.',
  },
  'input/not-utf8': {
    category: 'input',
    levels: ['error'],
    meaning: 'The input `file` has an invalid UTF-8 byte sequence at the byte, `line` and `column` given.',
    fix: 'Convert the file to UTF-8, e.g. `iconv -t UTF-8`.',
  },
  'input/invalid-json': {
    category: 'input',
    levels: ['error'],
    meaning: 'The input `file` is not valid JSON at `line`:`column`, or ends early (truncated). For JSON lines (TruffleHog, Nuclei) each line that starts like JSON but is not a whole value is reported on its own, with its line number.',
    fix: 'Re-run the scanner writing its output with its own `-o`/`--output` option, with no other output mixed in.',
  },
  'input/not-json': {
    category: 'input',
    levels: ['error'],
    meaning: 'The input `file` holds no JSON document at all (e.g. a console transcript or a text/HTML report).',
    fix: 'Run the scanner with its JSON output option (e.g. `bandit -f json -o out.json`).',
  },
  'input/multiple-documents': {
    category: 'input',
    levels: ['error'],
    meaning: 'The file holds several JSON documents one after the other (e.g. two runs appended to one file) and its format is not one written as JSON lines; reading only one would lose data. The place is the start of the second document.',
    fix: 'Write each scanner run to its own file and pass each with its own `--scan`.',
  },
  'input/duplicate-key': {
    category: 'input',
    levels: ['error', 'warning'],
    meaning: 'An object in the JSON input `file` writes the same key twice; the message names the key and both places, `pointer`/`line`:`column` is the second one. With **different values** it is an error: `JSON.parse` (and so auditmark) keeps the second, other readers keep the first or refuse the file, so the file means different things to different tools (a parser-differential trick: the severity a reviewer sees is not the one counted). With the same value twice it is a warning. Checked on every JSON input: scanner files, each line of JSON lines, normalised scans and `report.json` diff sides. At most 20 are listed per document, then one more diagnostic counts the rest.',
    fix: 'Regenerate the file with the tool that wrote it (the scanner; auditmark for `report.json` and normalised scans): their JSON writers write each key once, so the file was most likely edited or assembled by other means.',
  },
  'input/noise-stripped': {
    category: 'input',
    levels: ['warning'],
    meaning: 'Log lines before or after the JSON in the input `file`, or between the records of JSON lines (older TruffleHog), were ignored (stdout and stderr captured together); the message gives their count and first line numbers.',
    fix: 'Write the scanner output with its own `-o`/`--output` option so logs stay out of it.',
  },
  'input/unknown-format': {
    category: 'input',
    levels: ['error'],
    meaning: 'The JSON in the input `file` matches no supported scanner output (the message shows its top-level keys).',
    fix: 'Pass `--format <id>` (`--format-in` for build) if the tool is supported, or convert to the normalised scan JSON (`schemas/scan.schema.json`).',
  },
  'input/report-version': {
    category: 'input',
    levels: ['error'],
    meaning: 'A `report.json` used as a diff side (`file`, pointer `/schemaVersion`) has no or another `schemaVersion` than this auditmark writes.',
    fix: 'Rebuild the baseline with this auditmark version, or diff the original scanner files.',
  },
  'input/source-not-a-directory': {
    category: 'input',
    levels: ['error'],
    meaning: '`--source` (or config `source`) names something that is not a directory: the record\'s commit must come from the work tree holding the scanned sources.',
    fix: 'Pass the checkout the scanners ran on, e.g. `--source .`, or remove `source` from the config.',
  },
  'input/source-remote-mismatch': {
    category: 'input',
    levels: ['error'],
    meaning: 'The work tree named by `--source` (or config `source`) has remotes, and none of them is the configured `repository`: the record would pair one repository\'s name with another\'s commit.',
    fix: 'Pass the checkout of the configured repository, or correct `repository` in the config.',
  },
  'limit/input-size': {
    category: 'input',
    levels: ['error'],
    meaning: 'The input `file` is larger than `maxInputBytes`; it was not read.',
    fix: 'Raise `maxInputBytes` (see [Limits](#limits)).',
  },
  'limit/json-depth': {
    category: 'input',
    levels: ['error'],
    meaning: 'JSON or YAML in `file` nests deeper than `maxJsonDepth` at `line`:`column`; it was not parsed.',
    fix: 'Raise `maxJsonDepth`, or check the file is genuine scanner output.',
  },
  'limit/findings': {
    category: 'input',
    levels: ['error'],
    meaning: 'The inputs (or one SARIF log, pointer `/runs`) hold more findings than `maxFindings`.',
    fix: 'Raise `maxFindings`, or split the scan.',
  },
  'limit/yaml-aliases': {
    category: 'input',
    levels: ['error'],
    meaning: 'A YAML `file` (config, checklist state or definition) expands more aliases than `maxYamlAliases`.',
    fix: 'Write the values out instead of using `*alias`, or raise `maxYamlAliases`.',
  },
  'limit/markdown-nesting': {
    category: 'input',
    levels: ['error'],
    meaning: 'The Markdown composed from the template (`file`) nests lists or quotes deeper than `maxMarkdownNesting`.',
    fix: 'Flatten the template\'s nesting, or raise `maxMarkdownNesting`.',
  },
  'ingest/bad-field': {
    category: 'input',
    levels: ['error', 'warning'],
    meaning: 'A value at `pointer` in the input `file` does not have the type or shape the scanner format defines: an error when the whole file or item had to be skipped (e.g. no `results` array), a warning when only the field was ignored.',
    fix: 'Regenerate the file with the scanner\'s JSON option (the `fix` names it); do not edit reports by hand.',
  },
  'ingest/unknown-severity': {
    category: 'input',
    levels: ['warning'],
    meaning: 'The severity word at `pointer` is not one the scanner documents; the finding is kept with severity `unknown`.',
    fix: 'Check the scanner version is supported; report new severity words so the mapping can be extended.',
  },
  'ingest/tool-error': {
    category: 'input',
    levels: ['error'],
    meaning: 'The input `file` is the scanner\'s own error report (npm audit or Snyk `/error`), so nothing was scanned.',
    fix: 'Fix the cause named in the message (auth, registry, working directory) and run the scanner again.',
  },
  'ingest/unsupported-version': {
    category: 'input',
    levels: ['warning'],
    meaning: 'npm audit\'s `/auditReportVersion` is not 2; the file was read as version 2.',
    fix: 'Use npm 7 or later (`npm audit --json`).',
  },
  'ingest/schema-version': {
    category: 'input',
    levels: ['error', 'warning'],
    meaning: 'The normalised scan document\'s `/schemaVersion` is missing, malformed, of another major version (error), or a newer minor version read as the supported one (warning).',
    fix: 'Regenerate the document with this version\'s `auditmark normalize`, or upgrade auditmark.',
  },
  'ingest/sarif-passed-results': {
    category: 'input',
    levels: ['info'],
    meaning: 'SARIF results at `pointer` with kind `pass` or `notApplicable` record checks that found nothing, so they are not findings.',
    fix: 'Nothing to fix.',
  },
  'ingest/unmatched-results': {
    category: 'input',
    levels: ['info'],
    meaning: 'Nuclei results written with `-matcher-status` whose `"matcher-status"` is `false` record templates that did not match; they are not findings.',
    fix: 'Nothing to fix.',
  },
  'ingest/duplicate-fingerprint': {
    category: 'input',
    levels: ['warning'],
    meaning: 'The finding at `pointer` repeats an earlier one of the same run at the same place with the same rule and code; both are kept, told apart by the fingerprint\'s occurrence suffix.',
    fix: 'De-duplicate the scanner output if the repetition is not intended (a file scanned twice, two merged reports).',
  },
  'ingest/duplicate-dropped': {
    category: 'input',
    levels: ['info'],
    meaning: 'A Grype match at `pointer` repeats an earlier one (same vulnerability, package and locations) and is counted once.',
    fix: 'Nothing to fix.',
  },
  'ingest/duplicates-merged': {
    category: 'input',
    levels: ['info'],
    meaning: 'Snyk entries at `pointer` repeat an (id, package, version) for other dependency paths and were merged with all paths kept.',
    fix: 'Nothing to fix.',
  },
  'schema/scan': {
    category: 'input',
    levels: ['error'],
    meaning: 'The normalised scan document `file` violates `schemas/scan.schema.json` at `pointer`; `expected` says what is allowed (unknown keys are errors).',
    fix: 'Correct the value at the pointer, or regenerate the file with `auditmark normalize`.',
  },
  'schema/checklist': {
    category: 'input',
    levels: ['error'],
    meaning: 'The value violates `schemas/checklist.schema.json` at `pointer`.',
    fix: 'Correct the value at the pointer.',
  },
  'schema/checklist-definition': {
    category: 'input',
    levels: ['error'],
    meaning: 'The value violates `schemas/checklist-definition.schema.json` at `pointer`.',
    fix: 'Correct the value at the pointer.',
  },
  'schema/config': {
    category: 'input',
    levels: ['error'],
    meaning: 'The value violates `schemas/config.schema.json` at `pointer`.',
    fix: 'Correct the value at the pointer.',
  },
  'schema/report': {
    category: 'input',
    levels: ['error'],
    meaning: 'The value violates `schemas/report.schema.json` at `pointer`.',
    fix: 'Correct the value at the pointer, or rebuild the report.',
  },
  'schema/diff': {
    category: 'input',
    levels: ['error'],
    meaning: 'The value violates `schemas/diff.schema.json` at `pointer`.',
    fix: 'Correct the value at the pointer, or rebuild the diff.',
  },
  'schema/history': {
    category: 'input',
    levels: ['error'],
    meaning: 'The value violates `schemas/history.schema.json` at `pointer`.',
    fix: 'Correct the value at the pointer, or rebuild the history.',
  },
  'schema/manifest': {
    category: 'input',
    levels: ['error'],
    meaning: 'The value violates `schemas/manifest.schema.json` at `pointer`.',
    fix: 'Correct the value at the pointer, or rebuild the bundle.',
  },
  'schema/template-manifest': {
    category: 'input',
    levels: ['error'],
    meaning: 'The value violates `schemas/template-manifest.schema.json` at `pointer`.',
    fix: 'Correct the value at the pointer.',
  },
  'config/invalid': {
    category: 'input',
    levels: ['error'],
    meaning: 'The config `file` violates `schemas/config.schema.json` at `pointer` (unknown keys are errors).',
    fix: 'Correct the value at the pointer; the schema documents every key.',
  },
  'config/checklist-not-found': {
    category: 'input',
    levels: ['error'],
    meaning: 'Config `checklist:` is a selector (`id@range`) that does not match the checklist definition shipped with the selected template.',
    fix: 'Name a definition file instead (`checklist: ./checklist.yaml`, resolved against the config\'s folder), or a selector matching the template\'s checklist.',
  },
  'config/invalid-license': {
    category: 'input',
    levels: ['error'],
    meaning: 'The licence at `pointer` in the config `file` is not a valid SPDX expression.',
    fix: 'Use an identifier from https://spdx.org/licenses/ (case matters), or `LicenseRef-<name>`.',
  },
  'yaml/parse-error': {
    category: 'input',
    levels: ['error'],
    meaning: 'The YAML `file` has a syntax error at `line`:`column`.',
    fix: 'Correct the syntax there.',
  },
  'yaml/duplicate-key': {
    category: 'input',
    levels: ['error'],
    meaning: 'A mapping in the YAML `file` repeats a key at `line`:`column`.',
    fix: 'Remove or rename the repeated key; auditmark will not guess which value you meant.',
  },
  'yaml/unsupported-tag': {
    category: 'input',
    levels: ['error'],
    meaning: 'The YAML `file` uses a tag (e.g. `!!binary`, `!custom`) at `line`:`column`; only core-schema values are read.',
    fix: 'Remove the tag and write a plain string, number, list or mapping.',
  },
  'checklist/invalid': {
    category: 'input',
    levels: ['error'],
    meaning: 'The checklist state `file` is not a mapping, or violates `schemas/checklist.schema.json` at `pointer`.',
    fix: 'Correct the value at the pointer; start the file with `schemaVersion: "1.0"`.',
  },
  'checklist/schema-version': {
    category: 'input',
    levels: ['error'],
    meaning: 'The checklist state\'s `/schemaVersion` is missing, not the string `"1.0"` (an unquoted `1.0` is a number), or newer than this auditmark reads.',
    fix: 'Write `schemaVersion: "1.0"` (quoted), or upgrade auditmark.',
  },
  'checklist/invalid-date': {
    category: 'input',
    levels: ['error'],
    meaning: 'A date at `pointer` in the checklist state is not a real calendar date (e.g. `2024-02-30`).',
    fix: 'Use `YYYY-MM-DD` or an RFC 3339 date-time with offset.',
  },
  'checklist/duplicate-waiver': {
    category: 'input',
    levels: ['error'],
    meaning: 'Two waivers in the checklist state use the same `id` (`pointer` is the second).',
    fix: 'Give each waiver its own id.',
  },
  'checklist/unknown-item': {
    category: 'input',
    levels: ['warning'],
    meaning: 'An attestation at `pointer` names an item the selected checklist definition does not define; it is ignored.',
    fix: 'Correct the item id or remove the attestation.',
  },
  'checklist/definition-mismatch': {
    category: 'input',
    levels: ['warning'],
    meaning: 'The state\'s `/checklist` names another checklist id or version range than the definition being evaluated.',
    fix: 'Select the matching definition (config `checklist:`), or update the state file and re-attest.',
  },
  'checklist-definition/invalid': {
    category: 'input',
    levels: ['error'],
    meaning: 'The checklist definition `file` violates `schemas/checklist-definition.schema.json` at `pointer`.',
    fix: 'Correct the value at the pointer.',
  },
  'checklist-definition/duplicate-item': {
    category: 'input',
    levels: ['error'],
    meaning: 'Two items of the checklist definition use the same `id` (`pointer` is the second).',
    fix: 'Rename one of the items.',
  },
  'waiver/unmatched': {
    category: 'input',
    levels: ['warning'],
    meaning: 'The waiver at `pointer` in the checklist state matches no finding of the scan.',
    fix: 'Remove it if the finding was fixed, or correct its `fingerprint`/`ruleId`/`tool`.',
  },
  'waiver/expired': {
    category: 'input',
    levels: ['warning'],
    meaning: 'The waiver at `pointer` expired before the report date, so its findings count as open again.',
    fix: 'Fix the findings, or renew the waiver with a new approval and expiry.',
  },
  'template/bad-selector': {
    category: 'input',
    levels: ['error'],
    meaning: 'The `--template` (or config `template`) value is not `<id>@<semver range>`.',
    fix: 'Use a lower-case template id, optionally followed by `@` and a range, e.g. `security-scan@^1`.',
  },
  'template/not-found': {
    category: 'input',
    levels: ['error'],
    meaning: 'No loaded template matches the selected id and version range; the message lists the available ones.',
    fix: 'Pick one of the listed `id@version`, or add the template to the project template directory.',
  },
  'template/wrong-kind': {
    category: 'input',
    levels: ['error'],
    meaning: 'The selected template (`file` is its `manifest.json`, pointer `/kind`) renders a report where a diff is needed, or the reverse.',
    fix: 'Select a template of the right kind, e.g. `--template scan-diff@^1` for diff.',
  },
  'template/render-error': {
    category: 'render',
    levels: ['error'],
    meaning: 'Nunjucks failed while rendering the template `file` at `line` (unknown filter, syntax error, missing field).',
    fix: 'Check field names against `docs/templates.md` and the template syntax at that line.',
  },
  'template/raw-output': {
    category: 'input',
    levels: ['error'],
    meaning: 'A template (`file`, `line`:`column`) prints a value without a value filter (`{{ x }}`, `{{ x | upper }}`, a `{% filter %}` block), which would put data into the document as Markdown; or it contains the private-use characters U+E000/U+E001 that auditmark reserves for value placeholders. Checked when the templates are loaded, before anything renders.',
    fix: 'End every printed expression with a value filter, e.g. `{{ finding.title | md }}`, `{{ run.total | num }}`, `{{ snippet | codeblock }}` (see docs/templates.md).',
  },
  'template/bad-placement': {
    category: 'input',
    levels: ['error'],
    meaning: 'A template (`file`) places a value where no text, code or link node may stand: a `codeblock`, `markdown` or `chart` value inside a line of text, a value inside a code span, a link target or raw HTML, or `rowdata` outside a table row.',
    fix: 'Put `{{ x | codeblock }}`, `{{ x | markdown }}` and `{{ c | chart(\'…\') }}` on a line of their own; write `{{ url | link(label) }}` instead of `[label]({{ url }})`.',
  },
  'template/bad-manifest': {
    category: 'input',
    levels: ['error'],
    meaning: 'A template\'s `manifest.json` (`file`) cannot be read, violates `schemas/template-manifest.schema.json`, disagrees with its `<id>/<version>` folder, or names a missing `entry`.',
    fix: 'Correct the manifest at `pointer`, or rename the folder.',
  },
  'template/file-too-large': {
    category: 'input',
    levels: ['error'],
    meaning: 'A file in a template folder (`file`) is larger than 2 MiB, the most auditmark reads; it was skipped.',
    fix: 'Remove large files from the template folder.',
  },
  'template/dir-unreadable': {
    category: 'input',
    levels: ['error'],
    meaning: 'A template directory given with `--templates-dir` or config `templatesDir` (`file`) cannot be read.',
    fix: 'Correct the path.',
  },
  'template/bad-version': {
    category: 'input',
    levels: ['error'],
    meaning: 'A version folder of a template (`file`) is not named with an exact semver version.',
    fix: 'Rename it to the template version, e.g. `1.0.0`.',
  },
  'template/duplicate': {
    category: 'input',
    levels: ['error'],
    meaning: 'The same `id@version` exists in two template directories (`file` is the second); the first is used.',
    fix: 'Give the project template a new id or version, and extend the shipped one.',
  },
  'template/missing-base': {
    category: 'input',
    levels: ['error'],
    meaning: 'A template\'s manifest `/extends` names a template that is not loaded.',
    fix: 'Correct `extends`, or add the base template.',
  },
  'frontmatter/invalid-yaml': {
    category: 'input',
    levels: ['error'],
    meaning: 'The YAML between the `---` lines is not valid (at `line`:`column` when known) or uses aliases.',
    fix: 'Correct the YAML; write values out instead of `&anchor`/`*alias`.',
  },
  'frontmatter/engine-not-allowed': {
    category: 'input',
    levels: ['error'],
    meaning: 'The opening `---` line names a language other than YAML (e.g. `---js`), which is never evaluated.',
    fix: 'Remove the language name after `---` and write the metadata as YAML.',
  },
  'frontmatter/unclosed': {
    category: 'input',
    levels: ['error'],
    meaning: 'Frontmatter opened with `---` on line 1 is never closed.',
    fix: 'Add a line with `---` after the metadata.',
  },
  'frontmatter/not-a-mapping': {
    category: 'input',
    levels: ['error'],
    meaning: 'The frontmatter is a list or a scalar rather than a mapping of keys to values.',
    fix: 'Write it as `key: value` lines.',
  },
  'html/asset-limit': {
    category: 'render',
    levels: ['warning'],
    meaning: 'The embedded font is larger than `maxAssetBytes`, so the HTML falls back to system sans-serif fonts.',
    fix: 'Raise `maxAssetBytes` if the embedded font matters.',
  },
  'render/timeout': {
    category: 'render',
    levels: ['error'],
    meaning: 'Rendering the Markdown and HTML (making the document tree section by section, converting, sanitising, charts) used up `renderTimeoutMs` before printing could start; the deadline is checked between sections and rendering stopped. Nothing was written.',
    fix: 'Raise `renderTimeoutMs` (`--limit renderTimeoutMs=…`), or lower `maxFieldLength` so huge fields are truncated.',
  },
  'pdf/no-browser': {
    category: 'render',
    levels: ['error'],
    meaning: 'No Chrome/Chromium was found, or the path named by `--chrome`, `AUDITMARK_CHROME` or `PUPPETEER_EXECUTABLE_PATH` does not exist.',
    fix: 'Correct or unset the named path; otherwise install Chrome/Chromium or the optional `@sparticuz/chromium`, or pass `--chrome <path>`; or leave `pdf` out of `--format`.',
  },
  'pdf/launch-failed': {
    category: 'render',
    levels: ['error'],
    meaning: 'The Chromium found (path and source in the message) failed to start.',
    fix: 'Check it runs (`<path> --version`) and its shared libraries are installed, or pass `--chrome <path>`.',
  },
  'pdf/timeout': {
    category: 'render',
    levels: ['error'],
    meaning: 'Printing one PDF part took longer than `printTimeoutMs`, or the whole render longer than `renderTimeoutMs`; no PDF was written.',
    fix: 'Raise the limit named in the message.',
  },
  'pdf/print-failed': {
    category: 'render',
    levels: ['error'],
    meaning: 'Chromium failed while printing (its error is in the message); no PDF was written.',
    fix: 'Run again; if it persists, try another browser with `--chrome <path>`.',
  },
  'pdf/failed': {
    category: 'render',
    levels: ['error'],
    meaning: 'PDF rendering returned no document and no other diagnostic (should not happen).',
    fix: 'Run again; report it as a bug if it persists.',
  },
  'output/permission': {
    category: 'output',
    levels: ['error'],
    meaning: 'An output `file` could not be written: permission denied (EACCES/EPERM); previous outputs are unchanged.',
    fix: 'Make the output directory writable, or choose another `--out`.',
  },
  'output/read-only': {
    category: 'output',
    levels: ['error'],
    meaning: 'An output `file` could not be written because the file system is read-only (EROFS).',
    fix: 'Choose a writable directory with `--out`.',
  },
  'output/disk-full': {
    category: 'output',
    levels: ['error'],
    meaning: 'An output `file` could not be written because the disk or quota is full (ENOSPC/EDQUOT).',
    fix: 'Free disk space or quota and run again.',
  },
  'output/not-a-directory': {
    category: 'output',
    levels: ['error'],
    meaning: 'An output `file` could not be written because `--out` or one of its parents is a file (ENOTDIR).',
    fix: 'Choose a directory for `--out`.',
  },
  'output/write-failed': {
    category: 'output',
    levels: ['error'],
    meaning: 'An output `file` could not be written for another OS reason (named in the message).',
    fix: 'Check the output directory and run again.',
  },
  'output/locked': {
    category: 'output',
    levels: ['error'],
    meaning: 'Another auditmark run (pid in the message) holds the lock `file` of the output directory.',
    fix: 'Wait for it to finish, or remove the lock file if no build is running.',
  },
  'output/bad-name': {
    category: 'output',
    levels: ['error'],
    meaning: 'An output name is not a safe, unique plain file name (an internal error: names are fixed).',
    fix: 'Report it as a bug.',
  },
  'output/not-a-file': {
    category: 'output',
    levels: ['error'],
    meaning: 'An output path (`file`) exists as a directory.',
    fix: 'Remove or rename it, or choose another `--out`.',
  },
  'output/symlink': {
    category: 'output',
    levels: ['error'],
    meaning: 'An output path (`file`) is a symlink pointing outside the output directory; it was not replaced.',
    fix: 'Remove the symlink, choose another `--out`, or pass `--allow-symlinks` if intended.',
  },
  'output/summary': {
    category: 'output',
    levels: ['warning'],
    meaning: 'The CI step summary could not be appended to `$GITHUB_STEP_SUMMARY` (`file`).',
    fix: 'Check the variable points at a writable file; the other outputs were written.',
  },
  'sarif/limit': {
    category: 'render',
    levels: ['error'],
    meaning: 'One result alone is larger than GitHub\'s SARIF upload limit after gzip compression, so it cannot be split into smaller files.',
    fix: 'Lower `maxFieldLength` so huge messages and snippets are truncated, or leave `sarif` out of `--format`.',
  },
  'sarif/baseline-mismatch': {
    category: 'render',
    levels: ['warning'],
    meaning: 'A finding (fingerprint in the message) is not in the diff\'s current side, so its `baselineState` was set to `new`.',
    fix: 'Build the SARIF from the same current report the diff was made from.',
  },
  'sign/bad-key': {
    category: 'input',
    levels: ['error'],
    meaning: 'The `--sign` key (`file`) is not a readable PEM private key, or not an ed25519 key; it is checked before anything is rendered.',
    fix: 'Create one with `openssl genpkey -algorithm ed25519 -out auditmark-signing.pem`.',
  },
  'sign/bad-p12': {
    category: 'input',
    levels: ['error'],
    meaning: 'The `--sign-pdf` key store (`file`) is not a readable PKCS#12 file holding a private key and its certificate, or `AUDITMARK_P12_PASSWORD` is wrong; it is checked before anything is rendered.',
    fix: 'Check `AUDITMARK_P12_PASSWORD`, or export the key store again: `openssl pkcs12 -export -inkey key.pem -in cert.pem -out signer.p12`.',
  },
  'verify/no-manifest': {
    category: 'input',
    levels: ['error'],
    meaning: 'The directory (`file`) has no `manifest.json`, so it is not a build or diff output.',
    fix: 'Pass the `--out` directory of `auditmark build` or `diff`.',
  },
  'verify/bad-manifest': {
    category: 'input',
    levels: ['error'],
    meaning: 'The bundle\'s `manifest.json` (pointer `/outputs`) is not a valid manifest.',
    fix: 'Rebuild the bundle; the manifest must match `schemas/manifest.schema.json`.',
  },
  'verify/missing': {
    category: 'verify',
    levels: ['error'],
    meaning: 'A file listed in `manifest.json` (`file`) is missing from the bundle.',
    fix: 'Restore the file from the original bundle, or rebuild it.',
  },
  'verify/changed': {
    category: 'verify',
    levels: ['error'],
    meaning: 'A file of the bundle (`file`) has another SHA-256 or size than `manifest.json` records.',
    fix: 'Restore the original file, or rebuild the bundle.',
  },
  'verify/extra': {
    category: 'verify',
    levels: ['error'],
    meaning: 'A file, symlink, FIFO or other special file in the bundle (`file`) is not listed in `manifest.json` (the companions `manifest.json.sig` and `manifest.intoto.jsonl` excepted).',
    fix: 'Remove it, or rebuild the bundle.',
  },
  'verify/signature-missing': {
    category: 'verify',
    levels: ['error'],
    meaning: '`--key` was given but the bundle has no `manifest.json.sig` (`file`).',
    fix: 'Build with `--sign <private key>`, or verify without `--key`.',
  },
  'verify/signature-invalid': {
    category: 'verify',
    levels: ['error'],
    meaning: 'A signature (`file`: `manifest.json.sig` or the DSSE signature of `manifest.intoto.jsonl`) is malformed or does not match what it signs, checked with the right key: the manifest or the attestation was altered, or the signature corrupted.',
    fix: 'Restore the original bundle, or rebuild and re-sign.',
  },
  'verify/wrong-key': {
    category: 'verify',
    levels: ['error'],
    meaning: 'A signature (`file`: `manifest.json.sig` or `manifest.intoto.jsonl`) was made by another key than the `--key` given (the message names both fingerprints). Nothing in the bundle is known to have changed.',
    fix: 'Verify with the signer\'s public key.',
  },
  'verify/bad-key': {
    category: 'input',
    levels: ['error'],
    meaning: 'The `--key` of `verify` is not a readable PEM public key, or not an ed25519 key.',
    fix: 'Export the public half of the signing key: `openssl pkey -in key.pem -pubout -out pub.pem`.',
  },
  'verify/not-a-file': {
    category: 'verify',
    levels: ['error'],
    meaning: 'A file of the bundle (`file`: a listed output, the signature or the attestation) is a FIFO, directory, device or symlink, or is reached through one: only regular files verify.',
    fix: 'Replace it with the original file, or rebuild the bundle.',
  },
  'verify/unsigned': {
    category: 'verify',
    levels: ['info'],
    meaning: 'The bundle has no `manifest.json.sig` (`file`): matching hashes prove internal consistency only, since anyone can rewrite `manifest.json` together with the files.',
    fix: 'Build with `--sign <private key>` and verify with `--key <public key>`.',
  },
  'verify/signature-not-checked': {
    category: 'verify',
    levels: ['warning'],
    meaning: 'The bundle carries a signature (`file`: `manifest.json.sig` or `manifest.intoto.jsonl`), but no `--key` was given, so it was not checked: the result proves internal consistency only.',
    fix: 'Pass `--key <the signer\'s public key>`.',
  },
  'verify/attestation-invalid': {
    category: 'verify',
    levels: ['error'],
    meaning: '`manifest.intoto.jsonl` (`file`) is not one DSSE envelope of an in-toto Statement v1 with auditmark\'s predicate (the message says what is wrong).',
    fix: 'Restore the original attestation, or rebuild with `--sign`.',
  },
  'verify/attestation-mismatch': {
    category: 'verify',
    levels: ['error'],
    meaning: 'A subject of `manifest.intoto.jsonl` (`file`) names a file that is not in the bundle, or another sha256 than the file that matches `manifest.json`, or a bundle file has no subject (one diagnostic per subject).',
    fix: 'The attestation was made for other files: restore the original bundle, or rebuild with `--sign`.',
  },
  'verify/attestation-missing': {
    category: 'verify',
    levels: ['warning'],
    meaning: 'A `--key` was given and the bundle is signed, but has no `manifest.intoto.jsonl` (`file`; bundles signed before attestations existed). `manifest.json.sig` still covers every file.',
    fix: 'Rebuild with `--sign` to get an attestation.',
  },
  'vex/invalid': {
    category: 'input',
    levels: ['error'],
    meaning: 'The `--vex` file is neither an OpenVEX 0.2 document (`@context` `https://openvex.dev/ns/…`, `statements[]`) nor CycloneDX 1.4–1.6 JSON with `vulnerabilities[]`, or a statement lacks what it needs (a vulnerability id, a known status); `pointer` names the place.',
    fix: 'Pass the VEX document as its tool wrote it (vexctl, Dependency-Track, cdxgen…); a statement needs `vulnerability.name` and a status of not_affected, affected, fixed or under_investigation.',
  },
  'vex/not-affected-unjustified': {
    category: 'input',
    levels: ['warning'],
    meaning: 'An OpenVEX `not_affected` statement gives neither `justification` nor `impact_statement`, which the specification requires; the statement is applied and shown without one.',
    fix: 'Add a justification (e.g. `vulnerable_code_not_in_execute_path`) or an impact statement to the statement.',
  },
  'vex/fixed-contradicted': {
    category: 'input',
    levels: ['warning'],
    meaning: 'A VEX statement says the vulnerability is `fixed` in a product, but a scan still finds it there: the finding stays open and is flagged as contradicted.',
    fix: 'Upgrade or rebuild what the scan found, or correct the VEX statement.',
  },
  'vex/unmatched': {
    category: 'input',
    levels: ['info'],
    meaning: 'A VEX statement matched no finding (no finding of that vulnerability, or none in the product it names); it is listed in the report\'s VEX section.',
    fix: 'Nothing if the product was not scanned; otherwise check the statement\'s product ids (purl type, namespace, name, version) against the scanned packages.',
  },
  'kev/invalid': {
    category: 'input',
    levels: ['error'],
    meaning: 'The `--kev` file is not the CISA Known Exploited Vulnerabilities catalog JSON (`catalogVersion`, `dateReleased`, `vulnerabilities[]` with `cveID`), or an entry at `pointer` is malformed.',
    fix: 'Pass `known_exploited_vulnerabilities.json` as CISA publishes it.',
  },
  'epss/invalid': {
    category: 'input',
    levels: ['error'],
    meaning: 'The `--epss` file is not FIRST\'s EPSS scores CSV (optionally gzipped): a `#model_version:…,score_date:…` line, the header `cve,epss,percentile`, then one CVE per line with decimals in [0, 1]; `line` names the first bad line.',
    fix: 'Pass the daily file as FIRST publishes it (`epss_scores-YYYY-MM-DD.csv.gz`).',
  },
  'epss/no-date': {
    category: 'input',
    levels: ['error', 'warning'],
    meaning: 'The EPSS file has no `score_date` line. EPSS scores change daily, so a score without its date is not evidence: the date is taken from a file name `epss_scores-YYYY-MM-DD.csv[.gz]` (warning), else the file is refused (error).',
    fix: 'Use the file as FIRST publishes it, first line included, or keep its dated file name.',
  },
  'osv/invalid': {
    category: 'input',
    levels: ['error'],
    meaning: 'An entry of the `--osv` folder or zip is not an OSV JSON record (`id`, optional `aliases[]`, `modified`, `severity[]` with `type` and `score`); `file` names the entry.',
    fix: 'Pass an OSV export as osv.dev publishes it (`<ecosystem>/all.zip`) or a folder of its JSON records.',
  },
  'osv/bad-vector': {
    category: 'input',
    levels: ['warning'],
    meaning: 'A CVSS vector in an OSV record (`severity[].score`) is not a valid CVSS v2, v3.x or v4.0 vector; that score is ignored.',
    fix: 'Report it to the advisory\'s database; auditmark only scores complete vectors.',
  },
  'history/too-few': {
    category: 'usage',
    levels: ['error'],
    meaning: '`auditmark history` needs at least one report (a `report.json` or a build directory).',
    fix: 'auditmark history release-1/ release-2/ release-3/ --out history/',
  },
  'history/not-a-report': {
    category: 'input',
    levels: ['error'],
    meaning: 'A `history` input is not a `report.json` written by this auditmark (or a build directory holding one).',
    fix: 'Pass build output directories or their `report.json`; rebuild old releases from their scan files if their report.json is of another version.',
  },
  'history/reordered': {
    category: 'input',
    levels: ['info'],
    meaning: 'The reports were given out of creation order; the history orders them by `metadata.created` (oldest first).',
    fix: 'Nothing to fix; pass them oldest first to silence this.',
  },
  'history/same-report': {
    category: 'input',
    levels: ['warning'],
    meaning: 'Two history inputs are the same document (same `documentId`); it is counted once.',
    fix: 'Pass each release once.',
  },
  'gate/failed': {
    category: 'policy',
    levels: ['error'],
    meaning: 'A `--fail-on` rule of `build` or `diff` failed (rule and reason in the message); the outputs were written and the exit code is 1.',
    fix: 'Fix the findings or attestations the rule checks, or change the rule.',
  },
  'internal/error': {
    category: 'internal',
    levels: ['error'],
    meaning: 'An unexpected exception escaped a command; exit code 3.',
    fix: 'Report it as a bug with the command and inputs; `AUDITMARK_DEBUG=1` prints the stack.',
  },
} as const satisfies Record<string, CodeSpec>;

/** A declared diagnostic code. */
export type DiagnosticCode = keyof typeof CATALOGUE;

/** The levels a code may be raised with. */
export type LevelOf<C extends DiagnosticCode> = (typeof CATALOGUE)[C]['levels'][number];

/** The spec of a code (undefined for a string that is not a declared code). */
export function codeSpec(code: string): CodeSpec | undefined {
  return Object.hasOwn(CATALOGUE, code) ? (CATALOGUE as Record<string, CodeSpec>)[code] : undefined;
}
