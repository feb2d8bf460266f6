/**
 * Errors in the reader's language (api.md): every code the routes can answer has a Chinese and an
 * English message; figures travel in `params` as decimal strings and print grouped; Accept-Language's
 * first preference picks the language; the code never changes.
 */
import { expect } from 'chai';
import { describeEachDatabase, sqliteKind } from '../support/databases';
import { expectProblem, startTestExchange, type TestExchange } from '../support/exchange';
import { ERROR_STATUS } from '../../server/http/errors';
import { MESSAGES } from '../../server/i18n/messages';
import { localise, placeholders, preferredLanguage } from '../../server/i18n/localise';
import { formatFigure } from '../../server/i18n/figures';
import { decide } from '../../server/listings/domain';
import { buyer1, buyer2, ctx, openAuction, privateInput, MINUTE } from '../listings/fixtures';

describe('the error message catalogue', () => {
  let codes: string[];
  before(async () => {
    // The codes come from what the exchange declares: its route table and its code→status table.
    const t = await startTestExchange(sqliteKind);
    try {
      const fromRoutes = t.exchange.routes.flatMap((r) => [
        ...(r.errors ?? []),
        'VALIDATION_FAILED',
        ...(r.access === 'public' ? [] : ['UNAUTHENTICATED', 'FORBIDDEN']),
      ]);
      codes = [...new Set([...fromRoutes, ...Object.keys(ERROR_STATUS), 'NOT_FOUND', 'INTERNAL'])].sort();
    } finally {
      await t.stop();
    }
    expect(codes.length).to.be.greaterThan(40);
  });

  it('has a Chinese and an English title and detail for every code the routes can answer', () => {
    const missing = codes.filter((c) => !MESSAGES[c]);
    expect(missing, 'codes without messages').to.deep.equal([]);
    for (const c of codes) {
      const m = MESSAGES[c]!;
      for (const text of [m.title, m.detail, ...Object.values(m.variants ?? {})]) {
        expect(text.zh, c).to.match(/[\u4e00-\u9fff]/);
        expect(text.en, c).to.match(/^[\x20-\x7e]+$/);
      }
    }
  });

  it('declares every figure a message prints, and prints every figure of the Chinese text in English too', () => {
    for (const [code, m] of Object.entries(MESSAGES)) {
      for (const text of [m.detail, ...Object.values(m.variants ?? {})]) {
        const zh = placeholders(text.zh);
        for (const name of zh) expect(placeholders(text.en), `${code}: ${text.en}`).to.include(name);
        for (const name of placeholders(text.en)) expect(m.params, `${code}.${name}`).to.have.property(name);
      }
    }
  });

  it('prints money grouped as a person reads it: 3,000万元 and RMB 30,000,000', () => {
    expect(formatFigure('30000000.00', 'money', 'zh')).to.equal('3,000万元');
    expect(formatFigure('30000000.00', 'money', 'en')).to.equal('RMB 30,000,000');
    expect(formatFigure('250000000', 'quantity', 'zh')).to.equal('2.50亿元');
    expect(formatFigure('12345.67', 'money', 'zh')).to.equal('12,345.67元');
    expect(formatFigure('123456789.01', 'money', 'zh')).to.equal('123,456,789.01元');
    expect(formatFigure('87.5', 'pct', 'en')).to.equal('87.50%');
  });

  it('prints dates as each language writes them, and an instant in Beijing time', () => {
    expect(formatFigure('2026-12-14', 'date', 'zh')).to.equal('2026年12月14日');
    expect(formatFigure('2026-12-14', 'date', 'en')).to.equal('14 Dec 2026');
    // 17:30 UTC is 01:30 the next day in Beijing.
    expect(formatFigure('2026-12-31T17:30:00.000Z', 'date', 'zh')).to.equal('2027年1月1日 01:30（北京时间）');
    expect(formatFigure('2026-12-31T17:30:00.000Z', 'date', 'en')).to.equal('1 Jan 2027 01:30 Beijing time');
    expect(formatFigure('2026-03-01T09:00:00+08:00', 'date', 'en')).to.equal('1 Mar 2026 09:00 Beijing time');
    // Anything else as it came: the message still shows what the caller sent.
    for (const odd of ['tomorrow', '2026-13-45T99:00:00Z', '2026-13-01', '']) expect(formatFigure(odd, 'date', 'zh')).to.equal(odd);
  });

  it('localises a round trip refused until a date with that date written out (ROUND_TRIP_TOO_SOON)', () => {
    const params = { workingDays: '5', allowedFrom: '2026-12-14' };
    expect(localise('ROUND_TRIP_TOO_SOON', 'x', params, 'zh').detail).to.equal(
      '同一基金份额买入与卖出须间隔5个工作日，最早可于2026年12月14日交易。',
    );
    expect(localise('ROUND_TRIP_TOO_SOON', 'x', params, 'en').detail).to.equal(
      'Buying and selling the same fund share must be 5 working days apart; allowed from 14 Dec 2026.',
    );
  });

  it('localises INSUFFICIENT_POSITION with its figures in both languages', () => {
    const params = { available: '30000000', requested: '50000000' };
    expect(localise('INSUFFICIENT_POSITION', 'x', params, 'zh').detail).to.equal('可用（未冻结）份额为3,000万元，少于申报的5,000万元。');
    expect(localise('INSUFFICIENT_POSITION', 'x', params, 'en').detail).to.equal(
      'Your unencumbered commitment is RMB 30,000,000, less than the RMB 50,000,000 offered.',
    );
  });

  it('picks the INVALID_STATE variant from params.reason and names the state', () => {
    expect(localise('INVALID_STATE', 'x', { reason: 'listing_state', state: 'draft' }, 'zh').detail).to.equal(
      '挂牌项目当前为“草稿”，不能执行此操作。',
    );
    expect(localise('INVALID_STATE', 'x', { reason: 'transfer_state', state: 'completed' }, 'en').detail).to.equal(
      'The transfer is completed; this action is not possible now.',
    );
    // Without a variant: Chinese gets the general message, English keeps the server's specific one.
    expect(localise('INVALID_STATE', 'order o-1 is filled', undefined, 'zh').detail).to.match(/当前状态下不能执行此操作/);
    expect(localise('INVALID_STATE', 'order o-1 is filled', undefined, 'en').detail).to.equal('order o-1 is filled');
  });

  it('reads the first preference of Accept-Language: zh, zh-CN and zh-Hans are Chinese, anything else English', () => {
    for (const h of ['zh', 'zh-CN', 'zh-Hans', 'zh-Hans-CN', 'zh-CN,zh;q=0.9,en;q=0.8', 'en;q=0.5, zh-CN'])
      expect(preferredLanguage(h), h).to.equal('zh');
    for (const h of [undefined, '', 'en', 'en-US,zh-CN;q=0.9', 'fr', 'zh-TW', '*']) expect(preferredLanguage(h), String(h)).to.equal('en');
  });

  it('gives BID_TOO_LOW the minimum next bid (current price plus the increment) as a decimal string', () => {
    const l = openAuction();
    const now = l.bidding!.closesAt! - 30 * MINUTE;
    const first = decide(l, { action: 'bid', amount: privateInput.askPrice }, ctx(buyer1, now));
    if (!first.ok) expect.fail(first.detail);
    const low = decide(first.listing, { action: 'bid', amount: privateInput.askPrice }, ctx(buyer2, now + MINUTE));
    if (low.ok) expect.fail('a bid at the current price was accepted');
    expect(low.code).to.equal('BID_TOO_LOW');
    expect(low.params).to.deep.include({ minimum: '8100000.00' });
    expect(localise(low.code, low.detail, low.params, 'zh').detail).to.equal('报价须不低于810万元。');
    const opening = decide(l, { action: 'bid', amount: '7900000.00' }, ctx(buyer1, now));
    if (opening.ok) expect.fail('a bid below the ask was accepted');
    expect(opening.params).to.deep.equal({ minimum: '8000000.00' });
  });
});

describeEachDatabase("refusals over HTTP in the reader's language", (kind) => {
  let t: TestExchange;
  before(async () => {
    t = await startTestExchange(kind);
  });
  after(async () => {
    await t?.stop();
  });

  async function oversizedSell(lang: string) {
    const token = await t.login('lp');
    const positions = (await t.call('GET', '/api/positions', { token })).body as { fundId: string; available: string }[];
    const p = positions[0]!;
    const fund = (await t.call('GET', `/api/funds/${p.fundId}`, { token })).body;
    const requested = (BigInt(p.available) + BigInt(fund.lotSize ?? fund.terms?.lotSize)).toString();
    const r = await t.call('POST', '/api/orders', {
      token,
      headers: { 'accept-language': lang },
      body: { fundId: p.fundId, side: 'sell', pricePct: '90.00', quantity: requested, timeInForce: 'GTC' },
    });
    return { r, available: p.available, requested };
  }

  it('answers INSUFFICIENT_POSITION in Chinese with the figures in params and grouped in detail', async () => {
    const { r, available, requested } = await oversizedSell('zh-CN,zh;q=0.9');
    expectProblem(r, 422, 'INSUFFICIENT_POSITION');
    expect(r.body.params).to.deep.equal({ available, requested });
    expect(r.body.title).to.equal('可用份额不足');
    expect(r.body.detail).to.equal(
      `可用（未冻结）份额为${formatFigure(available, 'quantity', 'zh')}，少于申报的${formatFigure(requested, 'quantity', 'zh')}。`,
    );
    expect(r.body.detail).to.match(/万元/);
  });

  it('answers the same refusal in English for any other first preference, with the same code and params', async () => {
    const { r, available, requested } = await oversizedSell('en-GB,zh-CN;q=0.8');
    expectProblem(r, 422, 'INSUFFICIENT_POSITION');
    expect(r.body.params).to.deep.equal({ available, requested });
    expect(r.body.detail).to.contain(`RMB ${formatFigure(available, 'quantity', 'en').slice(4)}`);
    expect(r.body.title).to.equal('Insufficient position');
  });

  /**
   * lp-soe lists its first position's lot, in Chinese, with its state-owned filings (an appraisal of 30,000,000.00),
   * the fields of `body` and `stateOwned` in place of the defaults.
   */
  const stateOwnedListing = async (body: Record<string, unknown>, stateOwned: Record<string, unknown> = {}) => {
    const token = await t.login('lp-soe');
    const positions = (await t.call('GET', '/api/positions', { token })).body as { fundId: string }[];
    const fund = (await t.call('GET', `/api/funds/${positions[0]!.fundId}`, { token })).body;
    return t.call('POST', '/api/listings', {
      token,
      headers: { 'accept-language': 'zh-CN' },
      body: {
        fundId: positions[0]!.fundId,
        quantity: String(fund.lotSize ?? fund.terms?.lotSize),
        method: 'auction',
        askPrice: '31000000.00',
        increment: '100000.00',
        depositAmount: '1000000.00',
        buyerConditions: ['合格投资者'],
        stateOwned: {
          resolutionRef: 'R-1',
          approvalRef: 'A-1',
          appraisalRef: 'AP-1',
          appraisalValue: '30000000.00',
          appraisalBaseDate: '2026-01-31',
          ...stateOwned,
        },
        ...body,
      },
    });
  };

  it('answers PRICE_BELOW_APPRAISAL with the appraisal value in params and in the Chinese detail', async () => {
    const r = await stateOwnedListing({ askPrice: '29000000.00' });
    expectProblem(r, 422, 'PRICE_BELOW_APPRAISAL');
    expect(r.body.params).to.deep.equal({ askPrice: '29000000.00', appraisalValue: '30000000.00' });
    expect(r.body.detail).to.equal('挂牌价2,900万元低于备案评估值3,000万元。');
  });

  it("names the listing form's field and its rule in Chinese where the core checks it (increment 0, an empty reference)", async () => {
    const zero = await stateOwnedListing({ increment: '0' });
    expectProblem(zero, 400, 'VALIDATION_FAILED');
    expect(zero.body.detail).to.equal('“加价幅度（元）”须为大于零的金额（元），最多两位小数，例如 12500000.00。');
    const empty = await stateOwnedListing({}, { approvalRef: ' ' });
    expect(empty.body.detail).to.equal('请填写“批准文号”。');
    const long = await stateOwnedListing({}, { approvalRef: 'x'.repeat(201) });
    expect(long.body.detail).to.equal('“批准文号”最多 200 个字符。');
  });

  it('localises a schema refusal and names the field in Chinese', async () => {
    const token = await t.login('lp');
    const r = await t.call('POST', '/api/orders', {
      token,
      headers: { 'accept-language': 'zh' },
      body: { fundId: 'x', side: 'sell', pricePct: 90, quantity: '1', timeInForce: 'GTC' },
    });
    expectProblem(r, 400, 'VALIDATION_FAILED');
    expect(r.body.detail).to.equal('“价格（占净值%）”的格式不对，请检查后重试。');
    expect(r.body.params).to.include({ reason: 'field', field: 'pricePct', kind: 'type' });
  });

  it('says what is wrong with a field by its form label, in either language (missing, format, bound, unknown)', async () => {
    const token = await t.login('lp');
    const order = (lang: string, body: Record<string, unknown>) =>
      t.call('POST', '/api/orders', {
        token,
        headers: { 'accept-language': lang },
        body: { fundId: 'bj-ai-2021', side: 'sell', pricePct: '90.00', quantity: '1000000', timeInForce: 'GTC', ...body },
      });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ pricePct: undefined }, '请填写“价格（占净值%）”。', 'Price (% of NAV) is required.'],
      [
        { pricePct: '9x' },
        '“价格（占净值%）”须为净值百分比，例如 87.50。',
        'Price (% of NAV): must be a percent of NAV as a decimal string, e.g. "87.50"',
      ],
      [{ timeInForce: 'DAY' }, '“有效期”不是可选的值。', 'Time in force is not one of the choices.'],
      [{ colour: 'red' }, '请求中有无法识别的字段“colour”。', 'The request has a field the exchange does not know: colour.'],
    ];
    // A rule across fields names none: the general message, never an empty label.
    const orderId = (await order('en', {})).body.order.id as string;
    const amendNothing = await t.call('PATCH', `/api/orders/${orderId}`, { token, headers: { 'accept-language': 'zh-CN' }, body: {} });
    expectProblem(amendNothing, 400, 'VALIDATION_FAILED');
    expect(amendNothing.body.detail).to.equal('请求内容不完整或格式有误，请检查后重试。');
    for (const [body, zh, en] of cases) {
      const [inZh, inEn] = [await order('zh-CN', body), await order('en', body)];
      expectProblem(inZh, 400, 'VALIDATION_FAILED');
      expect([inZh.body.detail, inEn.body.detail], JSON.stringify(body)).to.deep.equal([zh, en]);
      expect(inZh.body.code).to.equal(inEn.body.code);
    }
  });
});
