import type { Element, ElementContent, Properties, Text } from 'hast';

/**
 * Build a hast element. Text children given as strings become text nodes, so data is never
 * parsed as markup: serialisation escapes it.
 */
export function element(tagName: string, properties: Properties = {}, children: Array<ElementContent | string> = []): Element {
  return { type: 'element', tagName, properties, children: children.map((c) => (typeof c === 'string' ? text(c) : c)) };
}

/** Build a hast text node. */
export function text(value: string): Text {
  return { type: 'text', value };
}
