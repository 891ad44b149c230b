/**
 * The PDF writer's CommonJS packages (pdf-lib, @pdf-lib/fontkit), loaded with `require` and
 * re-exported under their own names (each class both as a value and as its type), so the
 * modules of the writer import from here what they would import from 'pdf-lib'.
 *
 * Given `import`, Node's ESM loader first scans a CommonJS package's source with
 * cjs-module-lexer to find its named exports, following every re-export: pdf-lib's entry
 * re-exports some 200 files and fontkit is one 1.5 MB file. Measured here (a fresh `node` per
 * line): `import('pdf-lib')` 284 ms wall / 429 ms CPU against `require` 154 / 197 ms, and
 * fontkit 390 / 625 ms against 236 / 363 ms, on every PDF build.
 */
import { createRequire } from 'node:module';
import type * as PdfLib from 'pdf-lib';
import type Fontkit from '@pdf-lib/fontkit';

const require = createRequire(import.meta.url);
const pdfLib = require('pdf-lib') as typeof PdfLib;

/** `@pdf-lib/fontkit` (what `import fontkit from '@pdf-lib/fontkit'` gives). */
export const fontkit = require('@pdf-lib/fontkit') as typeof Fontkit;

export const { AFRelationship, ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRef, PDFString, beginMarkedContent, endMarkedContent, rgb } = pdfLib;
export type AFRelationship = PdfLib.AFRelationship;
export type PDFArray = PdfLib.PDFArray;
export type PDFDict = PdfLib.PDFDict;
export type PDFDocument = PdfLib.PDFDocument;
export type PDFHexString = PdfLib.PDFHexString;
export type PDFName = PdfLib.PDFName;
export type PDFNumber = PdfLib.PDFNumber;
export type PDFRef = PdfLib.PDFRef;
export type PDFString = PdfLib.PDFString;
export type { Color, PDFFont, PDFPage } from 'pdf-lib';
