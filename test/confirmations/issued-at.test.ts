/**
 * The confirmation prints its issue time in Beijing time, like every other date on it (the workflow
 * steps, the contract date) and like its number's year (SFX-<Beijing year of issue>-…). Printed as the
 * raw UTC instant, a confirmation issued at 01:00 Beijing on 1 January 2027 read "2026-12-31T17:00:00Z"
 * under the number SFX-2027-000001, and one issued at 12:00 Beijing read 04:00, before the registration
 * step it records (12:00). The PDF's CreationDate stays the instant itself.
 */
import { expect } from 'chai';
import { renderConfirmationPdf, sampleConfirmationData } from '../../server/transfers/confirmation/layout';
import { missingPdfTools, pdfInfo, pdfText, squash } from './pdf-tools.js';

describe("the confirmation's issue time", function () {
  before(function () {
    if (missingPdfTools().includes('pdftotext')) {
      console.log('      SKIPPED: needs pdftotext (poppler-utils)');
      this.skip();
    }
  });

  it("is printed in Beijing time, the date of its number's year, not as the UTC instant", async function () {
    const pdf = await renderConfirmationPdf(
      sampleConfirmationData({ confirmationNumber: 'SFX-2027-000001', issuedAt: '2026-12-31T17:00:00.000Z' }),
    );
    const text = squash(pdfText(pdf));
    expect(text).to.include(squash('2027-01-01 01:00:00'));
    expect(text).to.include(squash('北京时间'));
    expect(text).not.to.include('2026-12-31T17:00');
    expect(pdfInfo(pdf)['CreationDate']).to.match(/^2026-12-31T17:00:00/);
  });
});
