import type { Element } from 'hast';
import { element } from './hast-element.ts';

/** One bar of a chart. */
export interface ChartBar {
  label: string;
  value: number;
  colour: string;
}

/**
 * A horizontal bar chart as inline SVG, built at build time (no script, no external asset).
 * Accessible: `role="img"` with `<title>` and `<desc>` listing every value, and each bar has its
 * label and number printed as text, so colour is never the only signal.
 */
export function svgBarChart(id: string, title: string, bars: readonly ChartBar[]): Element {
  // Label column sized to the longest label (about 7.5 units per character at font size 13),
  // so short labels such as `A03:2021` leave the width to the bars.
  const labelWidth = Math.min(260, 16 + Math.ceil(7.5 * Math.max(4, ...bars.map((b) => b.label.length))));
  const barArea = 300;
  const rowHeight = 24;
  const width = labelWidth + barArea + 60;
  const height = Math.max(1, bars.length) * rowHeight + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const desc = bars.length === 0 ? 'No data.' : bars.map((b) => `${b.label}: ${b.value}`).join('; ') + '.';
  const rows: Element[] = bars.map((b, i) => {
    const y = 4 + i * rowHeight;
    const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * barArea));
    return element('g', {}, [
      element('text', { x: `${labelWidth - 8}`, y: `${y + 16}`, textAnchor: 'end', fontSize: '13' }, [b.label]),
      element('rect', { x: `${labelWidth}`, y: `${y + 3}`, width: `${w}`, height: `${rowHeight - 8}`, fill: b.colour }),
      element('text', { x: `${labelWidth + w + 6}`, y: `${y + 16}`, fontSize: '13', fontWeight: '700' }, [String(b.value)]),
    ]);
  });
  if (bars.length === 0) rows.push(element('text', { x: '8', y: '18', fontSize: '13' }, ['No data']));
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
    [element('title', { id: titleId }, [title]), element('desc', { id: descId }, [desc]), ...rows],
  );
}
