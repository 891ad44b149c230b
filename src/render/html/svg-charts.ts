import type { Element } from 'hast';
import type { ChartSpec } from '../../compose/charts.ts';
import { element } from './hast-element.ts';
import { SEVERITY_COLOURS } from './theme.ts';

/** Rough width of a label in SVG units at font size 12 (Noto Sans averages ~0.55 em). */
const labelUnits = (label: string) => Math.ceil(6.8 * label.length);

/**
 * A horizontal bar chart as inline SVG, built at build time from model data (no script, no
 * external asset). Accessible: `role="img"` with `<title>` and `<desc>` listing every value, and
 * each bar has its label and number printed as text, so colour is never the only signal.
 * Long labels (OWASP category names) get a wider label column, up to half the width. A stacked
 * bar (`segments`, the history trend) draws its parts side by side with a `<title>` each, and the
 * chart gets a legend row naming every part's tone in words; the description lists each part's
 * number, so the colours are never the only way to read it.
 */
export function svgBarChart(chart: ChartSpec, title: string): Element {
  const id = `am-chart-${chart.id}`;
  const bars = chart.bars;
  const labelWidth = Math.min(330, 16 + Math.max(40, ...bars.map((b) => labelUnits(b.label))));
  const barArea = 300;
  const rowHeight = 20;
  const width = labelWidth + barArea + 50;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const parts = (b: ChartSpec['bars'][number]) => (b.segments?.length ? ` (${b.segments.map((p) => `${p.label} ${p.value}`).join(', ')})` : '');
  const desc = bars.length === 0 ? 'No data.' : bars.map((b) => `${b.label}: ${b.value}${parts(b)}`).join('; ') + '.';
  const fill = (tone: string) => SEVERITY_COLOURS[tone] ?? '#0b4f8a';
  const rows: Element[] = bars.map((b, i) => {
    const y = 3 + i * rowHeight;
    const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * barArea));
    const rects: Element[] = [];
    if (b.segments?.length && b.value > 0) {
      // Each part's width is rounded from its running end, so the parts always fill the bar exactly.
      let done = 0;
      let x0 = 0;
      for (const p of b.segments) {
        done += p.value;
        const x1 = Math.round((done / b.value) * w);
        if (x1 > x0) rects.push(element('rect', { x: `${labelWidth + x0}`, y: `${y + 3}`, width: `${x1 - x0}`, height: `${rowHeight - 7}`, fill: fill(p.tone) }, [element('title', {}, [`${p.label}: ${p.value}`])]));
        x0 = x1;
      }
    } else {
      rects.push(element('rect', { x: `${labelWidth}`, y: `${y + 3}`, width: `${w}`, height: `${rowHeight - 7}`, fill: fill(b.tone) }));
    }
    return element('g', {}, [
      element('text', { x: `${labelWidth - 8}`, y: `${y + 14}`, textAnchor: 'end', fontSize: '12' }, [b.label]),
      ...rects,
      element('text', { x: `${labelWidth + w + 6}`, y: `${y + 14}`, fontSize: '12', fontWeight: '700' }, [String(b.value)]),
    ]);
  });
  if (bars.length === 0) rows.push(element('text', { x: '8', y: '16', fontSize: '12' }, ['No data']));
  // The legend: every part tone, as a swatch and its word, severities in scale order.
  const order = Object.keys(SEVERITY_COLOURS);
  const rank = (tone: string) => (order.includes(tone) ? order.indexOf(tone) : order.length);
  const tones = [...new Map(bars.flatMap((b) => b.segments ?? []).map((p) => [p.tone, p.label])).entries()].sort((a, b) => rank(a[0]) - rank(b[0]));
  let height = Math.max(1, bars.length) * rowHeight + 6;
  if (tones.length > 0) {
    const ly = height + 4;
    let lx = 8;
    const legend: Element[] = [];
    for (const [tone, label] of tones) {
      legend.push(element('rect', { x: `${lx}`, y: `${ly}`, width: '10', height: '10', fill: fill(tone) }), element('text', { x: `${lx + 14}`, y: `${ly + 9}`, fontSize: '11' }, [label]));
      lx += 24 + labelUnits(label);
    }
    rows.push(element('g', {}, legend));
    height += 22;
  }
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${width} ${height}`,
      width: '100%',
      role: 'img',
      ariaLabelledBy: [titleId, descId],
      fontFamily: "'Noto Sans', sans-serif",
    },
    [element('title', { id: titleId }, [title || 'Chart']), element('desc', { id: descId }, [desc]), ...rows],
  );
}
