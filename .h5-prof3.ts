import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
const parser = unified().use(remarkParse).use(remarkGfm);
for (const n of [100, 250, 500, 1000, 2000]) {
  const rows = ['| Severity | Tool | Rule | Title | OWASP | State | Count |', '| --- | --- | --- | --- | --- | --- | ---: |'];
  for (let i = 0; i < n; i++) rows.push(`| high | bandit | R${i} | subprocess call with shell=True identified | A03:2021, A05:2025 | open 1 | 1 |`);
  const md = '## Findings\n\n' + rows.join('\n') + '\n';
  const t0 = performance.now(); parser.parse(md); console.log(n, Math.round(performance.now()-t0));
  const t1 = performance.now(); parser.parse(md + '\ntrailing para\n'); console.log(n, 'again', Math.round(performance.now()-t1));
}
