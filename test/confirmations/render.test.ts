import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  PdfRenderError as ConfirmationRenderError,
  cffSubsetSpeedupActive,
  confirmationFonts,
  fontLoadCount,
  qrMatrix,
} from '../../server/pdf';
import {
  MAX_PAGES,
  confirmationVerifyUrl,
  renderConfirmationPdf,
  sampleConfirmationData,
  type ConfirmationData,
} from '../../server/transfers/confirmation/layout';
import { decodeQrOnFirstPage, hasTool, missingPdfTools, pdfFonts, pdfInfo, pdfText, qpdfCheck, squash } from './pdf-tools.js';

const SELLER = '北京某某国有资本投资有限公司';
const BUYER = '某某S基金合伙企业（有限合伙）';

async function rejection(p: Promise<unknown>): Promise<ConfirmationRenderError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(ConfirmationRenderError);
    return e as ConfirmationRenderError;
  }
  throw new Error('expected a rejection');
}

describe('transfer confirmation PDF (交易凭证)', function () {
  let sample: ConfirmationData;
  let pdf: Buffer;

  before(async function () {
    sample = sampleConfirmationData({ sellerName: SELLER, buyerName: BUYER });
    pdf = await renderConfirmationPdf(sample);
  });

  it('is an A4 PDF of 1–2 pages, under 300 KB', function () {
    expect(pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    expect(pdf.length).to.be.below(300 * 1024);
    // Page boxes: A4 is 595.28 x 841.89 pt.
    expect(pdf.toString('latin1')).to.match(/\/MediaBox \[0 0 595\.28 841\.89\]/);
  });

  it('is deterministic: the same input gives the same bytes; dates come from issuedAt', async function () {
    const again = await renderConfirmationPdf(sampleConfirmationData({ sellerName: SELLER, buyerName: BUYER }));
    expect(again.equals(pdf)).to.equal(true);
    const later = await renderConfirmationPdf({ ...sample, issuedAt: '2025-04-03T00:00:00Z' });
    expect(later.equals(pdf)).to.equal(false);
    // pdfkit writes info values as indirect objects: /CreationDate n 0 R … n 0 obj (D:…) endobj.
    const raw = pdf.toString('latin1');
    for (const key of ['CreationDate', 'ModDate']) {
      const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(raw);
      expect(ref, key).to.not.equal(null);
      expect(raw).to.include(`\n${ref![1]} 0 obj\n(D:20250402073000Z)\nendobj`);
    }
  });

  it('parses the font once per process, however many documents it renders', async function () {
    confirmationFonts();
    await renderConfirmationPdf(sample);
    await renderConfirmationPdf(sample);
    expect(fontLoadCount()).to.equal(1);
    // The byte-identical CFF subsetting speed-up passed its self-check against fontkit's own.
    expect(cffSubsetSpeedupActive()).to.equal(true);
  });

  it('stores the CFF font program unfiltered (already compact) and deflates the page content', function () {
    const raw = pdf.toString('latin1');
    const dicts = [...raw.matchAll(/\d+ 0 obj\n(<<[\s\S]*?>>)\nstream\n/g)].map((m) => m[1]!);
    const fontPrograms = dicts.filter((d) => d.includes('/Subtype /CIDFontType0C'));
    expect(fontPrograms).to.have.length(1);
    expect(fontPrograms[0]).to.not.include('/Filter');
    const others = dicts.filter((d) => !d.includes('/Subtype /CIDFontType0C'));
    expect(others.length).to.be.greaterThan(1);
    for (const d of others) expect(d).to.include('/Filter /FlateDecode');
  });

  it('gives the same bytes whatever this thread rendered before (shaping is shared between documents)', async function () {
    const other = sampleConfirmationData({ sellerName: '上海另一家投资管理合伙企业（有限合伙）', buyerName: 'Other Buyer Fund LP' });
    await renderConfirmationPdf({ ...other, reviewConclusion: '经审核，同意转让。 Approved after review; 其他文字 other words 12345.' });
    const again = await renderConfirmationPdf(sampleConfirmationData({ sellerName: SELLER, buyerName: BUYER }));
    expect(again.equals(pdf)).to.equal(true);
  });

  it('checks which characters the font can print without parsing the whole font (what the main thread does)', function () {
    const script =
      "const f = require('./server/pdf/fonts.ts'); const missing = " +
      "f.unsupportedCharacters('北京某某 ABC \\u{1F600}'); " +
      'console.log(JSON.stringify({ missing, loads: f.fontLoadCount() }));';
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).to.deep.equal({ missing: ['\u{1F600}'], loads: 0 });
  });

  it('encodes the verification URL in a QR code', function () {
    const url = confirmationVerifyUrl('https://exchange.example.cn/', 'JZ-2025-000123');
    expect(url).to.equal('https://exchange.example.cn/api/confirmations/JZ-2025-000123/verify');
    expect(confirmationVerifyUrl('https://x.cn', 'A/B 1')).to.equal('https://x.cn/api/confirmations/A%2FB%201/verify');
    const m = qrMatrix(url);
    expect(m.size).to.be.within(21, 57);
    // The three finder patterns: dark 7x7 corners.
    for (const [r, c] of [
      [0, 0],
      [0, m.size - 7],
      [m.size - 7, 0],
    ] as const) {
      expect(m.isDark(r, c) && m.isDark(r + 6, c + 6) && !m.isDark(r + 1, c + 1)).to.equal(true);
    }
  });

  describe('read back with poppler-utils and qpdf', function () {
    before(function () {
      const missing = missingPdfTools();
      if (missing.length > 0) {
        console.warn(`    skipping PDF read-back: ${missing.join(', ')} not installed (apt-get install poppler-utils qpdf)`);
        this.skip();
      }
    });

    it('passes qpdf --check', function () {
      const r = qpdfCheck(pdf);
      expect(r.status, r.output).to.equal(0);
      expect(r.output).to.include('No syntax or stream encoding errors');
    });

    it('has the parties, the consideration, the number and the other fields as extractable text', function () {
      const text = pdfText(pdf);
      const flat = squash(text);
      for (const s of [
        SELLER,
        BUYER,
        sample.consideration,
        sample.confirmationNumber,
        sample.fundName,
        sample.projectNumber,
        sample.contractDate,
        sample.listingStartDate,
        sample.listingEndDate,
        sample.commitment,
        sample.paidIn,
        sample.unfunded,
        `${sample.pctOfNav}%`,
        sample.sellerFee,
        sample.verificationUrl,
        '交易凭证',
        '以中文文本为准',
        'the Chinese text prevails',
        '交易所审核结论',
        '本所予以确认',
      ]) {
        expect(flat, s).to.include(squash(s));
      }
      // Table cells that wrap interleave with their neighbours in the extracted text, so each
      // step is checked by its Chinese name and its date; actors that fit one line whole.
      for (const step of sample.steps) {
        const zh = step.name.split(' / ')[0]!;
        expect(flat, zh).to.include(squash(zh));
        expect(flat, step.date).to.include(step.date);
      }
      for (const actor of ['某某私募基金管理有限公司', 'operator2']) expect(flat, actor).to.include(actor);
    });

    it('embeds only a subset of the CJK font (CID-keyed CFF), and no other font', function () {
      const fonts = pdfFonts(pdf)
        .split('\n')
        .slice(2)
        .filter((l) => l.trim() !== '');
      expect(fonts).to.have.length.greaterThan(0);
      for (const line of fonts) {
        expect(line).to.match(/^[A-Z]{6}\+NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
      }
    });

    it('carries its metadata: title with the number, dates from issuedAt, A4, 1–2 pages', function () {
      const info = pdfInfo(pdf);
      expect(info['Title']).to.include(sample.confirmationNumber);
      expect(info['CreationDate']).to.match(/^2025-04-02T07:30:00/);
      expect(info['Page size']).to.match(/^595\.28 x 841\.89 pts \(A4\)/);
      expect(Number(info['Pages'])).to.be.within(1, 2);
    });

    it('prints "—" for empty optional fields (a book trade has no listing)', async function () {
      const book = await renderConfirmationPdf({ ...sample, projectNumber: '', listingStartDate: '', listingEndDate: '' });
      expect(qpdfCheck(book).status).to.equal(0);
      const text = pdfText(book);
      expect(text).to.include('挂牌起始日期');
      expect(text.match(/—/g)?.length ?? 0).to.be.at.least(3);
    });

    it('continues a long workflow on new pages, repeating the table header', async function () {
      const steps = Array.from({ length: 40 }, (_, i) => ({
        name: `第 ${i + 1} 步 / Step ${i + 1}`,
        date: '2025-03-01',
        actor: `经办人 ${i + 1}`,
        result: '完成 / Done',
      }));
      const long = await renderConfirmationPdf({ ...sample, steps });
      expect(qpdfCheck(long).status).to.equal(0);
      const pages = Number(pdfInfo(long)['Pages']);
      expect(pages).to.be.within(3, MAX_PAGES);
      const text = squash(pdfText(long));
      expect(text).to.include(squash('第 40 步 / Step 40'));
      expect(text).to.include('（续）(continued)');
      expect(text).to.include(squash(`第 ${pages} 页 共 ${pages} 页`));
    });
  });

  it('prints a QR code that a scanner reads as the verification URL (pdftoppm + zbarimg)', function () {
    const missing = ['pdftoppm', 'zbarimg'].filter((t) => !hasTool(t));
    if (missing.length > 0) {
      console.warn(`    skipping QR scan: ${missing.join(', ')} not installed (apt-get install poppler-utils zbar-tools)`);
      this.skip();
    }
    expect(decodeQrOnFirstPage(pdf)).to.deep.equal([sample.verificationUrl]);
  });

  describe('refuses what would make a wrong document', function () {
    it(`caps the document at ${MAX_PAGES} pages (CONFIRMATION_TOO_LONG)`, async function () {
      const steps = Array.from({ length: 150 }, (_, i) => ({ name: `Step ${i + 1}`, date: '2025-03-01', actor: 'operator1' }));
      const err = await rejection(renderConfirmationPdf({ ...sample, steps }));
      expect(err.code).to.equal('CONFIRMATION_TOO_LONG');
    });

    it('money must arrive as a string, never a JS number (VALIDATION_FAILED)', async function () {
      const err = await rejection(renderConfirmationPdf({ ...sample, consideration: 36050000 as unknown as string, buyerName: '' }));
      expect(err.code).to.equal('VALIDATION_FAILED');
      expect(err.details).to.include('consideration: must be a string (got number)');
      expect(err.details).to.include('buyerName: must not be empty');
    });

    it('an unparsable issuedAt is refused', async function () {
      const err = await rejection(renderConfirmationPdf({ ...sample, issuedAt: 'yesterday' }));
      expect(err.details).to.include('issuedAt: not an ISO-8601 date-time');
    });

    it('a character the font cannot print is refused, not printed as a box', async function () {
      const err = await rejection(renderConfirmationPdf({ ...sample, buyerName: '某某基金🙂合伙企业' }));
      expect(err.code).to.equal('VALIDATION_FAILED');
      expect(err.message).to.include('U+1F642');
    });
  });
});
