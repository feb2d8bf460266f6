import { expect } from 'chai';
import crypto from 'node:crypto';
import { buildValuationReport } from '../../shared/valuation/report';
import { DEMO_FUNDS } from '../../server/seed/demo-market';
import { demoFundModel } from '../../server/valuation/demo-model';
import { VALUATION_RENDERER_MODULE, renderValuationInWorker, renderValuationPdf } from '../../server/valuation/valuation-pdf';
import { PdfRenderError as ConfirmationRenderError, createPdfWorkerPool, type PdfWorkerPool } from '../../server/pdf';
import {
  CONFIRMATION_RENDERER_MODULE,
  renderConfirmationInWorker,
  renderConfirmationPdf,
  sampleConfirmationData,
} from '../../server/transfers/confirmation/layout';

const rendererModules = [CONFIRMATION_RENDERER_MODULE, VALUATION_RENDERER_MODULE];

describe('confirmation and valuation PDFs in a worker thread', function () {
  this.timeout(30_000);
  let pool: PdfWorkerPool;

  before(function () {
    pool = createPdfWorkerPool({ size: 1, rendererModules });
  });
  after(async function () {
    await pool.close();
  });

  it('produces exactly the bytes of the main-thread renderer', async function () {
    const data = sampleConfirmationData();
    const [inWorker, inMain] = await Promise.all([renderConfirmationInWorker(pool, data), renderConfirmationPdf(data)]);
    expect(Buffer.isBuffer(inWorker)).to.equal(true);
    expect(inWorker.length).to.equal(inMain.length);
    expect(inWorker.equals(inMain)).to.equal(true);
  });

  it('renders a valuation report to exactly the bytes of the main-thread renderer', async function () {
    const fund = DEMO_FUNDS[0]!;
    const nav = {
      id: 'nav-worker-test',
      referenceDate: '2025-06-30',
      nav: '2500000000.00',
      paidIn: '2400000000.00',
      cumulativeDistributions: '240000000.00',
    };
    const model = demoFundModel(fund, nav, '2025-08-15')!;
    const digest = { algorithm: 'sha256', digestHex: (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex') } as const;
    const report = buildValuationReport({ model, share: { lpId: 'lp-test', commitment: '10000000', paidIn: '8000000.00' } }, digest);
    const context = { shareDescription: 'a standard share 标准份额' };
    const [inWorker, inMain] = await Promise.all([renderValuationInWorker(pool, report, context), renderValuationPdf(report, context)]);
    expect(inWorker.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    expect(inWorker.equals(inMain)).to.equal(true);
  });

  it('queues concurrent requests and answers each with its own document', async function () {
    const numbers = ['JZ-2025-000201', 'JZ-2025-000202', 'JZ-2025-000203', 'JZ-2025-000204'];
    const pdfs = await Promise.all(numbers.map((n) => renderConfirmationInWorker(pool, sampleConfirmationData({ confirmationNumber: n }))));
    for (const [i, n] of numbers.entries()) {
      const expected = await renderConfirmationPdf(sampleConfirmationData({ confirmationNumber: n }));
      expect(pdfs[i]!.equals(expected), n).to.equal(true);
    }
  });

  it('loads the font once in the worker, however many documents it renders', async function () {
    const [stats] = await pool.stats();
    expect(stats!.fontLoads).to.equal(1);
    expect(stats!.rendered).to.be.at.least(5);
  });

  it('passes renderer errors back with their code and details', async function () {
    try {
      await renderConfirmationInWorker(pool, { ...sampleConfirmationData(), paidIn: 1 as unknown as string });
      expect.fail('expected a rejection');
    } catch (e) {
      expect(e).to.be.instanceOf(ConfirmationRenderError);
      expect((e as ConfirmationRenderError).code).to.equal('VALIDATION_FAILED');
      expect((e as ConfirmationRenderError).details).to.include('paidIn: must be a string (got number)');
    }
    // The worker is still serving.
    expect((await renderConfirmationInWorker(pool, sampleConfirmationData())).subarray(0, 5).toString()).to.equal('%PDF-');
  });

  it('rejects requests once closed', async function () {
    const other = createPdfWorkerPool({ rendererModules });
    await other.close();
    try {
      await renderConfirmationInWorker(other, sampleConfirmationData());
      expect.fail('expected a rejection');
    } catch (e) {
      expect((e as ConfirmationRenderError).code).to.equal('PDF_RENDER_FAILED');
    }
  });
});
