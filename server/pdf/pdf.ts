/** pdfkit types and the document lifecycle shared by the renderer and the benchmark. */
import PDFDocument from 'pdfkit';

export type Doc = PDFKit.PDFDocument;
export type DocOptions = PDFKit.PDFDocumentOptions;

/**
 * Creates a document and a promise of its bytes (resolved after `doc.end()`).
 * `font: null` skips pdfkit's default Helvetica (the confirmation uses only its CJK font);
 * @types/pdfkit does not list null, pdfkit's initFonts() accepts it.
 */
export function openDocument(
  options: DocOptions,
  { storeFontProgramsUncompressed = false }: { storeFontProgramsUncompressed?: boolean } = {},
): { doc: Doc; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({ font: null as unknown as string, ...options });
  if (storeFontProgramsUncompressed) keepFontProgramsUncompressed(doc);
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}

interface StreamRef {
  data: { Subtype?: unknown };
  compress: boolean;
  end(chunk?: unknown): void;
}

/**
 * Stores embedded CFF font programs (FontFile3, Subtype CIDFontType0C) without FlateDecode.
 * CFF charstrings are already a compact encoding: deflate shrinks a confirmation's ~120 KB
 * subset by only a quarter but took ~3 ms of a ~25 ms document. Text streams stay compressed.
 * pdfkit decides per stream when it is ended (PDFReference.compress); its font embedding sets
 * the Subtype before ending the stream, which is when this looks.
 */
function keepFontProgramsUncompressed(doc: Doc): void {
  const makeRef = doc.ref.bind(doc) as (data?: object) => StreamRef;
  (doc as unknown as { ref: typeof makeRef }).ref = (data) => {
    const ref = makeRef(data);
    const end = ref.end.bind(ref);
    ref.end = (chunk) => {
      if (ref.data.Subtype === 'CIDFontType0C') ref.compress = false;
      end(chunk);
    };
    return ref;
  };
}
