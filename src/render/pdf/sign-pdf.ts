/**
 * A PAdES signature (`/SubFilter /ETSI.CAdES.detached`: a CMS detached signature over the
 * file's `/ByteRange`) with a visible signature field in the sign-off block, made with
 * @signpdf (placeholder through pdf-lib, CMS by its P12 signer). A signed PDF is by nature not
 * reproducible (it carries the signing time); unsigned builds stay byte-identical.
 */
import { createRequire } from 'node:module';
import type * as Placeholder from '@signpdf/placeholder-pdf-lib';
import type * as SignerP12 from '@signpdf/signer-p12';
import type * as SignPdfModule from '@signpdf/signpdf';
import type * as SignPdfUtils from '@signpdf/utils';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFDocument } from './commonjs.ts';

/** What signing needs: the PKCS#12 key store, its passphrase and who/when/why. */
export interface PdfSigning {
  p12: Uint8Array;
  passphrase: string;
  /** The real time of signing (never the reproducible build clock). */
  signingTime: Date;
  reason: string;
  location?: string;
}

/** A marker link of the print HTML: its page and rectangle. */
export interface MarkerPlace {
  page: number;
  rect: [number, number, number, number];
}

/** Remove every marker link that starts with `prefix` and return where each one was, by its suffix. */
export function takeMarkers(doc: PDFDocument, prefix: string): Map<string, MarkerPlace> {
  const all = new Map<string, MarkerPlace[]>();
  doc.getPages().forEach((page, pageIndex) => {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    if (!annots) return;
    for (let i = annots.size() - 1; i >= 0; i--) {
      const annot = annots.lookupMaybe(i, PDFDict);
      const uri = annot?.lookupMaybe(PDFName.of('A'), PDFDict)?.lookup(PDFName.of('URI'));
      const text = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : undefined;
      if (!annot || !text?.startsWith(prefix)) continue;
      const rect = annot.lookupMaybe(PDFName.of('Rect'), PDFArray);
      const r = [0, 1, 2, 3].map((k) => rect?.lookupMaybe(k, PDFNumber)?.asNumber() ?? 0) as [number, number, number, number];
      const key = text.slice(prefix.length);
      all.set(key, [...(all.get(key) ?? []), { page: pageIndex, rect: r }]);
      // Neither the link nor its action may stay in the file, not even unreferenced.
      const entry = annots.get(i);
      const action = annot.get(PDFName.of('A'));
      if (action instanceof PDFRef) doc.context.delete(action);
      if (entry instanceof PDFRef) doc.context.delete(entry);
      annots.remove(i);
    }
  });
  const found = new Map<string, MarkerPlace>();
  for (const [key, places] of all) {
    // Chromium leaves a 1 pt sliver of a link at the foot of the page before a forced page
    // break; a mark broken over lines has one link per line. A mark's place is the union of its
    // links on the first page where one is a real line box.
    const real = places.filter((p) => Math.abs(p.rect[3] - p.rect[1]) >= 2);
    const page = (real[0] ?? places[0]!).page;
    const on = (real.length ? real : places).filter((p) => p.page === page).map((p) => p.rect);
    found.set(key, { page, rect: [Math.min(...on.map((r) => r[0])), Math.min(...on.map((r) => r[1])), Math.max(...on.map((r) => r[2])), Math.max(...on.map((r) => r[3]))] });
  }
  return found;
}

/**
 * Sign the document: a visible signature field at `where` (the approver's box of the sign-off
 * block; the last page when the template has none), then the CMS signature over the saved bytes.
 */
export async function signPdf(doc: PDFDocument, where: MarkerPlace | undefined, signing: PdfSigning, signer: string): Promise<Uint8Array> {
  // The signer (node-forge through @signpdf) loads only when a PDF is signed: an unsigned build,
  // nearly every build, does not pay for it (50 ms measured here, pdf-lib already loaded).
  const require = createRequire(import.meta.url);
  const { pdflibAddPlaceholder } = require('@signpdf/placeholder-pdf-lib') as typeof Placeholder;
  const { P12Signer } = require('@signpdf/signer-p12') as typeof SignerP12;
  const { SignPdf } = require('@signpdf/signpdf') as typeof SignPdfModule;
  const { SUBFILTER_ETSI_CADES_DETACHED } = require('@signpdf/utils') as typeof SignPdfUtils;
  const page = doc.getPages()[where?.page ?? doc.getPageCount() - 1]!;
  // The field's own appearance is left empty: viewers draw their signature badge in it.
  const rect = where?.rect ?? [0, 0, 0, 0];
  pdflibAddPlaceholder({
    pdfDoc: doc, pdfPage: page, reason: signing.reason, contactInfo: '', name: signer, location: signing.location ?? '',
    signingTime: signing.signingTime, subFilter: SUBFILTER_ETSI_CADES_DETACHED, widgetRect: rect, appName: 'auditmark',
  });
  // Straight through, without yielding every 50 objects (see LOAD in to-pdf.ts).
  const unsigned = await doc.save({ useObjectStreams: false, objectsPerTick: Infinity });
  const signed = await new SignPdf().sign(Buffer.from(unsigned), new P12Signer(Buffer.from(signing.p12), { passphrase: signing.passphrase }), signing.signingTime);
  return new Uint8Array(signed);
}
