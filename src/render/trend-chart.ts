/**
 * The history trend chart: open findings by severity per release, as a stacked bar chart in
 * standalone SVG, built at build time from history.json (no script, no external asset, fixed
 * number formatting, so the same history gives the same bytes). Accessible: `role="img"`,
 * `<title>` and `<desc>` list every value, and each bar prints its total, so colour is never the
 * only signal. Release labels are untrusted text: XML-escaped and shortened.
 */
import { releaseLabel, type ReportHistory } from '../model/history.ts';
import type { Severity } from '../model/types.ts';

const ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];
const COLOUR: Readonly<Record<Severity, string>> = {
  critical: '#7f1d1d', high: '#c2410c', medium: '#b45309', low: '#1d4ed8', info: '#475569', unknown: '#6b21a8',
};

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** The chart as SVG text. */
export function historyTrendSvg(history: ReportHistory): string {
  const rs = history.releases;
  const barW = 28, gap = 18, left = 48, top = 36, plotH = 220, bottom = 70;
  const width = Math.max(360, left + rs.length * (barW + gap) + gap);
  const height = top + plotH + bottom;
  const max = Math.max(1, ...rs.map((r) => r.open));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const desc = rs.length === 0 ? 'No releases.' : rs.map((r) => `${releaseLabel(r)}: ${r.open} open (${ORDER.filter((s) => r.openBySeverity[s] > 0).map((s) => `${s} ${r.openBySeverity[s]}`).join(', ') || 'none'})`).join('; ') + '.';
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="t d" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif">`);
  out.push(`<title id="t">${xml(`Open findings by severity per release — ${history.metadata.project}`)}</title>`);
  out.push(`<desc id="d">${xml(desc)}</desc>`);
  out.push(`<text x="${left}" y="20" font-size="14" font-weight="700">${xml('Open findings by severity')}</text>`);
  out.push(`<line x1="${left}" y1="${top + plotH}" x2="${width - 8}" y2="${top + plotH}" stroke="#334155"/>`);
  out.push(`<text x="${left - 6}" y="${top + 4}" font-size="11" text-anchor="end">${max}</text>`);
  out.push(`<text x="${left - 6}" y="${top + plotH}" font-size="11" text-anchor="end">0</text>`);
  rs.forEach((r, i) => {
    const x = left + gap + i * (barW + gap);
    let acc = 0;
    for (const s of [...ORDER].reverse()) {
      const n = r.openBySeverity[s];
      if (n === 0) continue;
      const y0 = y(acc + n), h = (n / max) * plotH;
      out.push(`<rect x="${x}" y="${y0.toFixed(2)}" width="${barW}" height="${h.toFixed(2)}" fill="${COLOUR[s]}"><title>${xml(`${s}: ${n}`)}</title></rect>`);
      acc += n;
    }
    out.push(`<text x="${x + barW / 2}" y="${(y(r.open) - 4).toFixed(2)}" font-size="11" text-anchor="middle" font-weight="700">${r.open}</text>`);
    out.push(`<text x="${x + barW / 2}" y="${top + plotH + 14}" font-size="10" text-anchor="end" transform="rotate(-35 ${x + barW / 2} ${top + plotH + 14})">${xml(releaseLabel(r))}</text>`);
  });
  const legendY = height - 10;
  ORDER.forEach((s, k) => {
    const lx = left + k * 72;
    out.push(`<rect x="${lx}" y="${legendY - 9}" width="10" height="10" fill="${COLOUR[s]}"/><text x="${lx + 14}" y="${legendY}" font-size="11">${s}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
