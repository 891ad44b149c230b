/**
 * The PDF outline (bookmarks): read from each printed part, written once for the merged document.
 * pdf-lib has no outline API, so the dictionaries are read and created directly.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRef } from './commonjs.ts';

/** An outline entry as Chromium wrote it for one part. */
export interface PartOutlineEntry {
  depth: number;
  title: string;
  page: number;
  y: number;
}

/** Read Chromium's per-part outline (preorder) with page indices local to the part. */
export function readOutline(doc: PDFDocument): PartOutlineEntry[] {
  const pageIndex = new Map<string, number>();
  doc.getPages().forEach((p, i) => pageIndex.set(p.ref.toString(), i));
  const outlines = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  const out: PartOutlineEntry[] = [];
  const walk = (first: PDFDict | undefined, depth: number): void => {
    for (let item = first, guard = 0; item && guard < 100_000; item = item.lookupMaybe(PDFName.of('Next'), PDFDict), guard++) {
      const title = item.lookup(PDFName.of('Title'));
      const dest = item.lookupMaybe(PDFName.of('Dest'), PDFArray);
      const target = dest?.get(0);
      const y = dest?.lookupMaybe(3, PDFNumber)?.asNumber() ?? 0;
      out.push({
        depth,
        title: title instanceof PDFHexString ? title.decodeText() : String(title ?? ''),
        page: target instanceof PDFRef ? (pageIndex.get(target.toString()) ?? 0) : 0,
        y,
      });
      walk(item.lookupMaybe(PDFName.of('First'), PDFDict), depth + 1);
    }
  };
  walk(outlines?.lookupMaybe(PDFName.of('First'), PDFDict), 1);
  return out;
}


/** A heading placed in the merged document. */
export interface PlacedHeading {
  depth: number;
  title: string;
  page: number;
  y: number;
}

/**
 * Write `/Outlines` for the merged document. pdf-lib has no outline API, so the dictionaries are
 * created directly: one item per heading, nested by depth, each pointing at its page and height.
 */
export function writeOutline(doc: PDFDocument, headings: readonly PlacedHeading[]): void {
  if (headings.length === 0) return;
  const ctx = doc.context;
  const pages = doc.getPages();
  const rootRef = ctx.nextRef();
  interface Node {
    ref: PDFRef;
    dict: PDFDict;
    children: Node[];
  }
  const root: Node = { ref: rootRef, dict: ctx.obj({ Type: 'Outlines' }), children: [] };
  const stack: Array<{ depth: number; node: Node }> = [{ depth: 0, node: root }];
  for (const h of headings) {
    while (stack.length > 1 && (stack[stack.length - 1]?.depth ?? 0) >= h.depth) stack.pop();
    const parent = stack[stack.length - 1]!.node;
    const page = pages[Math.min(h.page, pages.length - 1)]!;
    const dict = ctx.obj({}) as PDFDict;
    dict.set(PDFName.of('Title'), PDFHexString.fromText(h.title));
    dict.set(PDFName.of('Parent'), parent.ref);
    dict.set(PDFName.of('Dest'), ctx.obj([page.ref, PDFName.of('XYZ'), PDFNull, PDFNumber.of(Math.round(h.y * 100) / 100), PDFNull]));
    const node: Node = { ref: ctx.nextRef(), dict, children: [] };
    parent.children.push(node);
    stack.push({ depth: h.depth, node });
  }
  const link = (node: Node): number => {
    let count = 0;
    node.children.forEach((child, i) => {
      const prev = node.children[i - 1];
      const next = node.children[i + 1];
      if (prev) child.dict.set(PDFName.of('Prev'), prev.ref);
      if (next) child.dict.set(PDFName.of('Next'), next.ref);
      count += 1 + link(child);
    });
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    if (first && last) {
      node.dict.set(PDFName.of('First'), first.ref);
      node.dict.set(PDFName.of('Last'), last.ref);
      node.dict.set(PDFName.of('Count'), PDFNumber.of(count));
    }
    ctx.assign(node.ref, node.dict);
    return count;
  };
  link(root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
