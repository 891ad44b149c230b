/** `--help` text of every command. Kept beside each other so they stay consistent. */
export const HELP: Record<string, string> = {
  main: `auditmark — audit documents from security-scanner evidence

Usage: auditmark <command> [options]

Commands:
  normalize <file…>          raw scanner output → normalised scan JSON (stdout or -o)
  build --scan <file> …      scan runs + checklist state → report.md/html/pdf/json/sarif/oscal.json + manifest.json
  diff <baseline> <current>  what changed between two runs or releases → diff.md/html/pdf/json
  history <report…>          trend over releases (report.json or build dirs) → history.md/html/pdf/json
  validate <file…>           check normalised scan JSON, checklist state or config against its schema
  templates                  list available templates and versions
  verify <dir>               recompute every hash of a build bundle (and check its signature)

Every command takes --help, --json (diagnostics as one JSON document on stderr) and --quiet.
Exit codes: 0 success; 1 a policy gate failed; 2 invalid usage or input (nothing written);
3 failure while rendering or writing (nothing half-written).
`,
  normalize: `Usage: auditmark normalize <file…> [--format auto|<id>] [-o <file>] [--allow-symlinks]

Reads raw scanner output files (Bandit, Safety, pip-audit, SARIF, npm audit, Trivy, Grype,
OSV-Scanner, Semgrep, gitleaks, Snyk, or normalised scan JSON) and prints one normalised scan
JSON document (schemas/scan.schema.json).

Options:
  --format <id>     reader to use for every file (default: auto-detect per file)
  -o, --output <f>  write to a file (atomically) instead of stdout
  --allow-symlinks  write through symlinks in the -o path (refused by default)
  --limit n=v       raise a limit (see README "Limits"), repeatable
`,
  build: `Usage: auditmark build --scan <file> [--scan <file>…] [options]

Options:
  --scan <file>          raw scanner output or normalised scan JSON (repeatable, required)
  --checklist <file>     checklist state (attestations, waivers), YAML or JSON
  --config <file>        auditmark.config.yaml|json (default: ./auditmark.config.yaml if present)
  --template <id@range>  template selector (default: security-scan@^1)
  --templates-dir <dir>  project-local templates (trusted code)
  --format <list>        md,html,pdf,json,sarif,oscal (default: md,html,pdf,json)
  --out <dir>            output directory (default: ./audit-report)
  --baseline <report>    previous report.json/bundle: SARIF gets baselineState; dates first-seen
  --source <dir>         the git work tree the scanners ran on: the record's commit and dirty
                         state come from it (default: the working directory, only when one of
                         its remotes is the config's repository; else "not recorded")
  --history <report>     earlier report.json/bundle dating first-seen for SLA deadlines (repeatable)
  --vex <file>           OpenVEX or CycloneDX VEX document (repeatable; adds to config vex)
  --kev <file>           CISA KEV catalog JSON snapshot (replaces config kev)
  --epss <file>          FIRST EPSS scores CSV(.gz) snapshot (replaces config epss)
  --osv <zip|dir>        OSV advisory export filling severity/CVSS the tool lacks (repeatable)
  --fail-on <gate>       policy gate, repeatable: status:<STATUS>, expired-waivers, kev, sla-overdue
  --summary <file>       also write a compact Markdown summary (default: $GITHUB_STEP_SUMMARY when set)
  --sign <key.pem>       sign with an ed25519 private key: manifest.json.sig and the in-toto
                         attestation manifest.intoto.jsonl (DSSE)
  --chrome <path>        Chromium/Chrome executable for PDF (else AUDITMARK_CHROME,
                         PUPPETEER_EXECUTABLE_PATH, a system browser, @sparticuz/chromium)
  --paper <A4|Letter>    PDF paper size
  --sign-pdf <file.p12>  sign report.pdf (PAdES, in the sign-off block's approver box); the
                         key store's password is read from AUDITMARK_P12_PASSWORD
  --pdf-one-part         print the PDF in one part, so it stays tagged however long it is
                         (slow for big documents: raise --limit printTimeoutMs=…)
  --project, --app-version, --classification <text>   override config values
  --format-in <id>       reader for every --scan file (default: auto)
  --allow-symlinks       write through symlinks in the --out / --summary path or output files
                         that are symlinks leading out of it (refused by default)
  --limit n=v            raise a limit, repeatable

The clock is SOURCE_DATE_EPOCH when set (reproducible builds), else the current time.
`,
  diff: `Usage: auditmark diff <baseline> <current> [options]

Each side is a scanner output file, normalised scan JSON, a report.json, or a build output
directory. Several scan files per side: separate them with commas.

Options:
  --format <list>    md,html,pdf,json (default: md,json)
  --out <dir>        output directory (default: ./audit-diff)
  --fail-on <gate>   repeatable: new:<critical|high|medium|low|info|any>, new:any,
                     status:<VALIDATED|CONDITIONAL|REMEDIATION REQUIRED>, expired-waivers,
                     kev (an open current finding in KEV)
  --vex, --kev, --epss, --osv   applied to a side given as scan files, as for build
  --config, --checklist, --template, --chrome, --summary, --allow-symlinks, --limit   as for build
`,
  history: `Usage: auditmark history <report…> [options]

Each input is a report.json or a build output directory, one per release; they are ordered by
their creation time (oldest first). Writes history.md|html|pdf|json: per release the open
findings by severity, new and fixed counts, overall status, SLA breaches and mean time to
remediate. A tool that did not run in a release leaves its findings "not assessed", never fixed.

Options:
  --format <list>    md,html,pdf,json (default: md,json)
  --out <dir>        output directory (default: ./audit-history)
  --config <file>    metadata, classification and policy.sla (default: ./auditmark.config.yaml)
  --templates-dir, --chrome, --limit, --allow-symlinks   as for build
`,
  validate: `Usage: auditmark validate <file…> [--as scan|checklist|checklist-definition|config]

Validates normalised scan JSON, checklist state, checklist definitions and config files against
their schemas (detected from content and name). Raw scanner output is checked by reading it as
build would. Errors give the file and JSON pointer or line:col.
`,
  templates: `Usage: auditmark templates [--templates-dir <dir>] [--json]

Lists available templates (shipped and project-local) with their versions.
`,
  verify: `Usage: auditmark verify <dir> [--key <public-key.pem>]

Recomputes the sha256 and size of every output listed in <dir>/manifest.json and reports missing,
changed and extra files; only regular files verify (a FIFO, directory or symlink never does).
With --key, also checks manifest.json.sig (ed25519) and the in-toto attestation
manifest.intoto.jsonl (DSSE signature and every subject digest). Without --key, matching hashes
prove internal consistency only: anyone can rewrite an unsigned manifest.

Options:
  --key <public.pem>  the signer's ed25519 public key (PEM)
`,
};
