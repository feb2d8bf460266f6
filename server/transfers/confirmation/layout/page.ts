/**
 * Page geometry and pagination. Content is placed at explicit coordinates; before each block the
 * caller asks `ensure(height)` and gets a new page when the block does not fit, so pdfkit's own
 * automatic page breaking never kicks in. The document is capped at MAX_PAGES pages.
 */
import { PdfRenderError } from '../../../pdf/errors';
import type { Doc } from '../../../pdf/pdf';

/** A4 in PDF points. */
export const A4 = { width: 595.28, height: 841.89 } as const;
export const MARGIN_X = 48;
export const MARGIN_TOP = 42;
/** Content stops here; the footer sits below it. */
export const CONTENT_BOTTOM = A4.height - 60;
export const FOOTER_Y = A4.height - 44;
/**
 * Stated limit: a confirmation has at most this many pages (a typical one fits on 1, a long
 * workflow on 2). Past it rendering fails with CONFIRMATION_TOO_LONG instead of truncating.
 */
export const MAX_PAGES = 5;

export class Pager {
  /** Current vertical position (top of the next block). */
  y = MARGIN_TOP;
  pages = 0;
  readonly left = MARGIN_X;
  readonly width = A4.width - 2 * MARGIN_X;
  readonly right = A4.width - MARGIN_X;
  /** Called after every page but the first is added (draws the running header). */
  onContinuationPage: (pager: Pager) => void = () => {};

  constructor(
    readonly doc: Doc,
    readonly maxPages = MAX_PAGES,
  ) {}

  addPage(): void {
    if (this.pages >= this.maxPages) {
      throw new PdfRenderError('CONFIRMATION_TOO_LONG', `the confirmation would need more than ${this.maxPages} pages`);
    }
    // A small bottom margin keeps pdfkit from breaking pages on its own when the footer is
    // written below CONTENT_BOTTOM.
    this.doc.addPage({ size: 'A4', margins: { top: MARGIN_TOP, left: MARGIN_X, right: MARGIN_X, bottom: 12 } });
    this.pages++;
    this.y = MARGIN_TOP;
    if (this.pages > 1) this.onContinuationPage(this);
  }

  /** Room left on the current page. */
  get remaining(): number {
    return CONTENT_BOTTOM - this.y;
  }

  /**
   * Makes sure `height` points fit below `y`, starting a new page when they don't.
   * Returns true when a page was added. A block taller than a whole page is refused.
   */
  ensure(height: number): boolean {
    if (this.y + height <= CONTENT_BOTTOM) return false;
    if (height > CONTENT_BOTTOM - MARGIN_TOP - 40) {
      throw new PdfRenderError('CONFIRMATION_TOO_LONG', 'a single field is too long to fit on one page');
    }
    this.addPage();
    return true;
  }
}
