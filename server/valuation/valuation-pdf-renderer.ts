/** Registers the valuation report's PDF renderer with the PDF layer; loaded by each PDF worker (VALUATION_RENDERER_MODULE). */
import type { ValuationReport } from '../../shared/valuation/report';
import { registerRenderer } from '../pdf/registry';
import { type PdfContext, renderValuationPdf } from './valuation-pdf';

registerRenderer('valuation', {
  render: (input) => {
    const { report, context } = input as { report: ValuationReport; context: PdfContext };
    return renderValuationPdf(report, context);
  },
});
