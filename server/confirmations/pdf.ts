/** pdfkit types and the document lifecycle shared by the renderer and the benchmark. */
import PDFDocument from 'pdfkit';

export type Doc = PDFKit.PDFDocument;
export type DocOptions = PDFKit.PDFDocumentOptions;

/**
 * Creates a document and a promise of its bytes (resolved after `doc.end()`).
 * `font: null` skips pdfkit's default Helvetica (the confirmation uses only its CJK font);
 * @types/pdfkit does not list null, pdfkit's initFonts() accepts it.
 */
export function openDocument(options: DocOptions): { doc: Doc; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({ font: null as unknown as string, ...options });
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}
