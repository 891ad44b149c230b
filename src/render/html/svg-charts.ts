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
 * Long labels (OWASP category names) get a wider label column, up to half the width.
 */
export function svgBarChart(chart: ChartSpec, title: string): Element {
  const id = `am-chart-${chart.id}`;
  const bars = chart.bars;
  const labelWidth = Math.min(330, 16 + Math.max(40, ...bars.map((b) => labelUnits(b.label))));
  const barArea = 300;
  const rowHeight = 20;
  const width = labelWidth + barArea + 50;
  const height = Math.max(1, bars.length) * rowHeight + 6;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const desc = bars.length === 0 ? 'No data.' : bars.map((b) => `${b.label}: ${b.value}`).join('; ') + '.';
  const rows: Element[] = bars.map((b, i) => {
    const y = 3 + i * rowHeight;
    const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * barArea));
    return element('g', {}, [
      element('text', { x: `${labelWidth - 8}`, y: `${y + 14}`, textAnchor: 'end', fontSize: '12' }, [b.label]),
      element('rect', { x: `${labelWidth}`, y: `${y + 3}`, width: `${w}`, height: `${rowHeight - 7}`, fill: SEVERITY_COLOURS[b.tone] ?? '#0b4f8a' }),
      element('text', { x: `${labelWidth + w + 6}`, y: `${y + 14}`, fontSize: '12', fontWeight: '700' }, [String(b.value)]),
    ]);
  });
  if (bars.length === 0) rows.push(element('text', { x: '8', y: '16', fontSize: '12' }, ['No data']));
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
