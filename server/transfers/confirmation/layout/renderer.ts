/**
 * Registers the transfer confirmation's renderer with the PDF layer; loaded by each PDF worker
 * (CONFIRMATION_RENDERER_MODULE), never by the main thread's request path.
 */
import { registerRenderer } from '../../../pdf/registry';
import { renderConfirmationPdf, type RenderOptions } from './render';
import { sampleConfirmationData } from './sample';
import type { ConfirmationData } from './types';

export interface ConfirmationRenderInput {
  data: ConfirmationData;
  options: RenderOptions;
}

registerRenderer('confirmation', {
  render: (input) => {
    const { data, options } = input as ConfirmationRenderInput;
    return renderConfirmationPdf(data, options);
  },
  warmUp: () => renderConfirmationPdf(sampleConfirmationData()),
});
