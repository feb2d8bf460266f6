/**
 * Registers the in-kind distribution statement's PDF renderer with the PDF layer; loaded by each PDF worker
 * (INKIND_STATEMENT_RENDERER_MODULE).
 */
import { registerRenderer } from '../pdf/registry';
import { type InKindStatementData, renderInKindStatementPdf } from './statement-pdf';

registerRenderer('inkind-statement', { render: (input) => renderInKindStatementPdf(input as InKindStatementData) });
