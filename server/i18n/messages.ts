/**
 * The one catalogue of refusal messages, in Simplified Chinese and English, keyed by error code and,
 * where one code covers several situations, by the variant in `params.reason`. `{name}` in a text is
 * replaced by the error's `params.name`, printed by its kind (server/i18n/figures.ts). Every code the
 * exchange can answer needs an entry (test/foundation/error-messages.test.ts derives the codes from
 * the route declarations and the code→status table).
 */
import type { ParamKind } from './figures';

export interface Text {
  readonly zh: string;
  readonly en: string;
}

export interface MessageEntry {
  readonly title: Text;
  /** Used when the error carries no params and no known variant; English then keeps the server's own detail. */
  readonly detail: Text;
  /** Figures and names the error carries in `params`, with how to print them. */
  readonly params?: Readonly<Record<string, ParamKind>>;
  /** Texts by `params.reason`. */
  readonly variants?: Readonly<Record<string, Text>>;
}

const t = (zh: string, en: string): Text => ({ zh, en });

export const MESSAGES: Readonly<Record<string, MessageEntry>> = {
  VALIDATION_FAILED: {
    title: t('填写有误', 'Invalid request'),
    detail: t('请求内容不完整或格式有误，请检查后重试。', 'The request is incomplete or malformed.'),
    // `{field}` prints the field's form label (fields.ts); a refused field's own message (reason `field`) is fields.ts's.
    params: { field: 'text', lastReferenceDate: 'date', today: 'date' },
    variants: {
      // Going live (server/members, server/funds/admission).
      CHECK_CHARACTER: t(
        '统一社会信用代码的校验码（第18位）与前17位不符。',
        'The check character (the 18th) of the unified social credit code does not match the first 17.',
      ),
      REFERENCE_DATE_IN_FUTURE: t('净值基准日不能晚于今天（{today}）。', 'The NAV reference date cannot be after today ({today}).'),
      NOT_AFTER_LAST_REPORT: t(
        '净值基准日须晚于最近一期报告的基准日（{lastReferenceDate}）。',
        "The reference date must be after the latest report's ({lastReferenceDate}).",
      ),
      NEGATIVE_AMOUNT: t('“{field}”不能为负数。', '{field} cannot be negative.'),
      NAV_NOT_POSITIVE: t(
        '“{field}”须大于零：按净值百分比报价时，零净值会使每笔成交的对价为零。',
        '{field} must be more than 0: priced in percent of NAV, a NAV of nothing makes every trade worth nothing.',
      ),
      PAID_IN_ABOVE_COMMITMENT: t('实缴不能超过基金的认缴总额。', "Paid-in cannot be more than the fund's total commitment."),
      expiry_required: t('限期订单需要填写到期时间。', 'A GTD order needs an expiry time.'),
      expiry_past: t('到期时间必须晚于当前时间。', 'The expiry time must be in the future.'),
      reason_required: t('请填写理由。', 'Give a reason.'),
      bank_ref_required: t('请填写银行流水号。', 'Give the bank reference.'),
    },
  },
  UNAUTHENTICATED: {
    title: t('请先登录', 'Sign in first'),
    detail: t('登录已失效或用户名、密码不正确，请重新登录。', 'The sign-in is missing, has expired, or the username or password is wrong.'),
  },
  FORBIDDEN: {
    title: t('无权操作', 'Not allowed'),
    detail: t('您的角色或机构无权执行此操作。', 'Your role or organisation may not do this.'),
  },
  NOT_FOUND: {
    title: t('未找到', 'Not found'),
    detail: t('所请求的内容不存在，或您无权查看。', 'What you asked for does not exist or is not visible to you.'),
  },
  IDEMPOTENCY_KEY_REUSED: {
    title: t('重复的请求编号', 'Idempotency key reused'),
    detail: t('该请求编号已用于另一笔不同的请求。', 'This Idempotency-Key was already used with a different request.'),
  },
  INVALID_STATE: {
    title: t('当前状态下不能办理', 'Not possible in the current state'),
    detail: t('当前状态下不能执行此操作，请刷新页面查看最新状态。', 'This action is not possible in the current state; reload to see it.'),
    params: { state: 'text' },
    variants: {
      listing_state: t('挂牌项目当前为“{state}”，不能执行此操作。', 'The listing is {state}; this action is not possible now.'),
      transfer_state: t('转让当前为“{state}”，不能执行此操作。', 'The transfer is {state}; this action is not possible now.'),
      order_not_open: t('该订单已是“{state}”，只有未成交的订单可以撤销或修改。', 'The order is {state}; only open orders can be changed.'),
      no_nav: t('该基金尚未发布净值报告，暂不能交易。', 'The fund has no published NAV report yet; it cannot trade.'),
      nav_not_positive: t(
        '该基金最近一期净值报告的净值不为正数，价格无法按净值百分比计算，暂不能在订单簿交易。',
        "The fund's latest NAV report gives no positive NAV, so no price in percent of NAV means anything; it cannot trade on the book.",
      ),
      not_disclosure: t(
        '只有在信息披露期内才能办理登记、资格确认和保证金。',
        'Registration, qualification and deposits happen only during disclosure.',
      ),
      no_buyer_outcome: t(
        '只有在披露期结束且无合格意向受让方时，才能延期、调价或终止。',
        'Extend, reprice or end only after a disclosure closed without a qualified buyer.',
      ),
      user_state: t('该用户已是此状态。', 'The user is already in that state.'),
      FUND_NOT_PENDING: t('该基金已上线，合伙人名册已记入份额台账。', 'The fund is open; its register is the unit ledger now.'),
      NO_PARTNER_REGISTER: t('该基金尚未导入合伙人名册，不能批准上线。', 'The fund has no partner register yet; it cannot open.'),
      ADMIN_EXISTS: t(
        '已有管理员；其他用户由管理员添加。',
        'An administrator exists already; further users are added by an administrator.',
      ),
      confirmation_revoked: t('该确认书已被撤销。', 'This confirmation has been revoked.'),
      no_revocation_requested: t('尚无人申请撤销该确认书。', 'No revocation of this confirmation was requested.'),
      award_transfer_open: t(
        '成交后的转让流程仍在进行，由转让流程处理违约。',
        "The award's transfer is still running; it decides a default.",
      ),
      // The state-owned qualification handshake (server/listings/domain/handshake.ts).
      not_qualification: t(
        '资格确认意见和保证金只能在信息披露期和资格确认期内办理。',
        'Qualification opinions and deposits happen only during disclosure and the qualification phase.',
      ),
      no_handshake: t('本项目不适用资格确认意见征询程序。', 'This listing has no qualification handshake.'),
      nothing_to_answer: t(
        '该意向受让方没有待转让方答复的资格确认意见（尚未出具，或已答复）。',
        'There is no qualification opinion on this buyer waiting for your answer (none yet, or already answered).',
      ),
      no_open_objection: t('转让方对该意向受让方没有待处理的异议。', 'The transferor has no open objection to this buyer.'),
      no_resolution_pending: t(
        '尚未录入国资监管机构的处理意见，请先录入。',
        "No operator has recorded the state-asset regulator's decision yet.",
      ),
      opinion_answered: t(
        '转让方已对该资格确认意见作出答复，意见不能再修改。',
        'The transferor has answered this opinion; it can no longer be changed.',
      ),
      opinion_given: t('披露期结束后，已出具的资格确认意见不能再修改。', 'After disclosure an opinion once given is final.'),
      opinion_deadline_passed: t(
        '资格确认意见的出具期限已过，该意向受让方未获确认。',
        'The opinion deadline has passed; this registrant was not qualified.',
      ),
    },
  },
  CONFLICT: {
    title: t('数据已变更', 'Changed meanwhile'),
    detail: t('数据刚刚被他人修改，请刷新后重试。', 'Someone changed this meanwhile; reload and try again.'),
  },
  DEADLINE_PASSED: {
    title: t('已过期限', 'Deadline passed'),
    detail: t('本步骤的办理期限（{deadline}）已过。', 'The deadline of this step ({deadline}) has passed.'),
    params: { deadline: 'date' },
  },
  FOUR_EYES: {
    title: t('需由另一位操作员办理', 'Four eyes'),
    detail: t('四眼原则：此步骤须由另一位操作员办理。', 'Four eyes: another operator must take this step.'),
    variants: {
      approve_after_review: t('审核人不能同时批准，请由另一位操作员批准。', 'The reviewer may not also approve; another operator must.'),
      registration_after_payment: t(
        '确认付款的操作员不能同时登记过户。',
        'The operator who confirmed a payment may not also record the registration.',
      ),
      resolution_after_record: t(
        '录入国资监管机构处理意见的操作员不能同时复核，请由另一位操作员复核。',
        "The operator who recorded the regulator's decision may not also confirm it; another operator must.",
      ),
      record_by_qualifier: t(
        '出具资格确认意见的操作员不能录入国资监管机构处理意见，请由另一位操作员录入。',
        "The operator who gave the qualification opinion may not record the regulator's decision; another operator must.",
      ),
      deposit_after_resolution: t(
        '复核国资监管机构处理意见的操作员不能同时确认该意向受让方的保证金，请由另一位操作员确认。',
        "The operator who confirmed the regulator's decision on this buyer may not also confirm its deposit; another operator must.",
      ),
      instalment_confirm_by_recorder: t(
        '登记该期付款的操作员不能同时确认，请由另一位操作员确认。',
        'The operator who recorded this instalment may not also confirm it; another operator must.',
      ),
    },
  },
  ROFR_ALREADY_ANSWERED: {
    title: t('已答复优先购买权', 'Already answered'),
    detail: t('贵机构已就优先购买权作出答复。', 'Your organisation has already answered the right of first refusal.'),
  },
  PAYMENT_ALREADY_CONFIRMED: {
    title: t('付款已确认', 'Payment already confirmed'),
    detail: t('该受让方的付款已确认。', "This buyer's payment is already confirmed."),
  },
  // Payment by instalments (server/transfers/domain/instalments.ts).
  INSTALMENTS_NOT_ALLOWED: {
    title: t('不允许分期付款', 'Instalments not allowed'),
    detail: t('该挂牌项目未允许分期付款，请选择一次性付款。', 'The listing did not allow payment by instalments; choose a lump sum.'),
  },
  INTEREST_BELOW_LPR: {
    title: t('分期付款利率低于贷款市场报价利率', 'Interest below the Loan Prime Rate'),
    detail: t(
      '分期付款的延期付款利息须按同期银行贷款利率计算：年利率{interestRatePct}低于{effectiveDate}起执行的一年期贷款市场报价利率（LPR）{lprPct}。',
      'Interest on the deferred balance is due at the bank loan rate of the period: {interestRatePct} a year is below the one-year ' +
        'Loan Prime Rate of {lprPct} in force since {effectiveDate}.',
    ),
    params: { interestRatePct: 'pct', lprPct: 'pct', effectiveDate: 'date' },
  },
  INSTALMENT_PLAN_INVALID: {
    title: t('分期付款方案不符合规则', 'Instalment plan not allowed'),
    detail: t('分期付款方案不符合规则，请检查后重试。', 'The instalment plan breaks a rule of payment by instalments.'),
    params: { minimum: 'money', minFirstPct: 'pct', consideration: 'money', total: 'money', deposit: 'money', maxMonths: 'count' },
    variants: {
      first_below_minimum: t(
        '首期付款不得低于交易价款的{minFirstPct}（即{minimum}）。',
        'The first instalment must be at least {minFirstPct} of the consideration ({minimum}).',
      ),
      first_below_deposit: t(
        '首期付款不得低于已抵作价款的保证金（{deposit}）。',
        'The first instalment must be at least the deposit applied ({deposit}).',
      ),
      sum_mismatch: t(
        '各期金额合计{total}，与交易价款{consideration}不一致。',
        'The instalments sum to {total}, not the consideration {consideration}.',
      ),
      months_not_increasing: t('各期付款的到期月份须依次递增。', 'Each instalment must fall due in a later month than the one before.'),
      balance_too_late: t(
        '剩余价款须在合同生效之日起{maxMonths}个月内付清。',
        'The balance must be paid within {maxMonths} months of the contract date.',
      ),
    },
  },
  REVOCATION_PENDING: {
    title: t('撤销待批准', 'Revocation pending'),
    detail: t('该确认书的撤销已申请，须由另一位操作员批准。', 'A revocation was already requested; another operator must approve it.'),
  },
  INSUFFICIENT_POSITION: {
    title: t('可用份额不足', 'Insufficient position'),
    detail: t(
      '可用（未冻结）份额为{available}，少于申报的{requested}。',
      'Your unencumbered commitment is {available}, less than the {requested} offered.',
    ),
    params: { available: 'quantity', requested: 'quantity' },
  },
  SELF_TRADE: {
    title: t('不能与本机构成交', 'Self-trade'),
    detail: t(
      '该订单将与本机构的挂单成交，未予接受。',
      'The order would trade with a resting order of your own organisation; it was not placed.',
    ),
  },
  BUYER_NOT_QUALIFIED: {
    title: t('受让方资格不符', 'Buyer not qualified'),
    detail: t(
      '受让方没有有效的合格投资者资格，或未经资格确认并缴纳保证金。',
      'The buyer has no valid qualified-investor record, or is not qualified with a confirmed deposit.',
    ),
  },
  BELOW_MIN_HOLDING: {
    title: t('低于最低持有额', 'Below minimum holding'),
    detail: t(
      '新投资者每次成交后须至少持有{minimum}的认缴额。',
      'A new investor must hold at least {minimum} of commitment after each fill.',
    ),
    params: { minimum: 'quantity' },
  },
  INVESTOR_CAP_REACHED: {
    title: t('投资者人数已达上限', 'Investor cap reached'),
    detail: t('该基金投资者人数已达上限{cap}名。', 'The fund already has its maximum of {cap} investors.'),
    params: { cap: 'count' },
  },
  WINNER_NOT_ELIGIBLE: {
    title: t('竞得方不再符合受让条件', 'Winner no longer eligible'),
    detail: t(
      '竞得方（{alias}）已不再符合报名时核验的受让条件，暂不能成交。',
      'The winning buyer ({alias}) no longer meets the rules its registration was checked for; the award cannot proceed.',
    ),
    params: { alias: 'text' },
    variants: {
      BUYER_NOT_QUALIFIED: t(
        '竞得方（{alias}）的合格投资者认定已失效，须重新认定后方可成交。',
        'The winning buyer ({alias}) no longer holds a valid qualified-investor record; the award waits until it is renewed.',
      ),
      INVESTOR_CAP_REACHED: t(
        '竞得方（{alias}）受让后基金投资者人数将超过上限，暂不能成交。',
        'The winning buyer ({alias}) would now take the fund above its cap of investors; the award cannot proceed.',
      ),
      BELOW_MIN_HOLDING: t(
        '竞得方（{alias}）受让后将低于基金的最低持有额，暂不能成交。',
        "The winning buyer ({alias}) would now hold less than the fund's minimum; the award cannot proceed.",
      ),
      ROUND_TRIP_TOO_SOON: t(
        '竞得方（{alias}）近期卖出过该基金份额，未满反向交易间隔，暂不能成交。',
        "The winning buyer ({alias}) sold this fund's share too recently (round-trip rule); the award cannot proceed yet.",
      ),
    },
  },
  BIDDER_NOT_ELIGIBLE: {
    title: t('竞买人不再符合受让条件', 'Bidder no longer eligible'),
    detail: t(
      '贵方已不再符合报名时核验的受让条件，暂不能出价。',
      'You no longer meet the rules your registration was checked for; you cannot bid.',
    ),
    variants: {
      BUYER_NOT_QUALIFIED: t(
        '贵方的合格投资者认定已失效，须重新认定后方可出价。',
        'Your qualified-investor record is no longer valid; you may bid once it is renewed.',
      ),
      INVESTOR_CAP_REACHED: t(
        '贵方受让后基金投资者人数将超过上限，暂不能出价。',
        'Your purchase would now take the fund above its cap of investors; you cannot bid.',
      ),
      BELOW_MIN_HOLDING: t(
        '贵方受让后将低于基金的最低持有额，暂不能出价。',
        "You would now hold less than the fund's minimum; you cannot bid.",
      ),
      ROUND_TRIP_TOO_SOON: t(
        '贵方近期卖出过该基金份额，未满反向交易间隔，暂不能出价。',
        "You sold this fund's share too recently (round-trip rule); you cannot bid yet.",
      ),
    },
  },
  ROUND_TRIP_TOO_SOON: {
    title: t('反向交易间隔不足', 'Round trip too soon'),
    detail: t(
      '同一基金份额买入与卖出须间隔{workingDays}个工作日，最早可于{allowedFrom}交易。',
      'Buying and selling the same fund share must be {workingDays} working days apart; allowed from {allowedFrom}.',
    ),
    params: { workingDays: 'count', allowedFrom: 'date' },
  },
  STATE_OWNED_MUST_LIST: {
    title: t('国有份额须挂牌转让', 'State-owned shares must be listed'),
    detail: t(
      '国有基金份额须通过信息披露和竞价挂牌转让，不能在连续竞价簿中卖出。',
      'State-owned fund shares are sold through a listing with disclosure and bidding.',
    ),
  },
  CONFIRMATION_RENDER_FAILED: {
    title: t('确认书生成失败', 'Confirmation could not be rendered'),
    detail: t(
      '转让确认书暂时无法生成，请稍后重试或联系交易所。',
      'The confirmation cannot be rendered now; retry or contact the exchange.',
    ),
  },
  CLOCK_NOT_SIMULATED: {
    title: t('非模拟时钟', 'Clock not simulated'),
    detail: t('交易所未以模拟时钟启动，不能调整时间。', 'The exchange was not started with a simulated clock.'),
  },
  CLOCK_MOVES_FORWARD_ONLY: {
    title: t('时钟只能向前', 'Clock moves forward only'),
    detail: t('模拟时钟当前为{now}，只能向前调整。', 'The clock is at {now} and only moves forward.'),
    params: { now: 'date' },
  },
  AUCTION_CLOSED: {
    title: t('竞价已结束', 'Bidding closed'),
    detail: t('本轮竞价已经结束。', 'The bidding round has closed.'),
  },
  AUCTION_NOT_OPEN: {
    title: t('竞价尚未开始', 'Bidding not open'),
    detail: t('竞价尚未开始。', 'Bidding has not opened yet.'),
  },
  ALREADY_REGISTERED: {
    title: t('已报名', 'Already registered'),
    detail: t('贵机构已报名本项目。', 'Your organisation has already registered for this listing.'),
  },
  DEPOSIT_ALREADY_CONFIRMED: {
    title: t('保证金已确认', 'Deposit already confirmed'),
    detail: t('该意向受让方的保证金已确认。', "This buyer's deposit is already confirmed."),
  },
  SELLER_ANSWER_PENDING: {
    title: t('资格确认尚未完成', 'Qualification not confirmed yet'),
    detail: t(
      '转让方尚未确认交易所对该意向受让方的资格意见，确认后方可缴纳保证金。',
      "The transferor has not confirmed the exchange's opinion on this buyer; the deposit falls due after the confirmation.",
    ),
    params: { answerDueDate: 'date' },
    variants: {
      answer_pending: t(
        '转让方尚未答复交易所对该意向受让方的资格意见（答复期限{answerDueDate}，逾期视为同意），确认后方可缴纳保证金。',
        "The transferor has not answered the exchange's opinion on this buyer (due {answerDueDate}; silence counts as " +
          'agreement); the deposit falls due after the confirmation.',
      ),
      objection_open: t(
        '转让方对该意向受让方提出异议，待国资监管机构处理后方可缴纳保证金。',
        "The transferor objected to this buyer; the deposit waits for the state-asset regulator's decision.",
      ),
    },
  },
  SEALED_BID_ALREADY_PLACED: {
    title: t('已提交密封报价', 'Sealed bid already placed'),
    detail: t('每位竞买人只能提交一次密封报价。', 'One sealed bid per bidder.'),
  },
  PRICE_BELOW_APPRAISAL: {
    title: t('低于评估值', 'Below the appraisal'),
    detail: t('挂牌价{askPrice}低于备案评估值{appraisalValue}。', 'The ask {askPrice} is below the filed appraisal {appraisalValue}.'),
    params: { askPrice: 'money', appraisalValue: 'money' },
  },
  APPROVAL_REQUIRED: {
    title: t('需要批准文件', 'Approval required'),
    detail: t(
      '新挂牌价{askPrice}低于评估值的90%（{threshold}），须填写批准文号。',
      'The ask {askPrice} is below 90% of the appraisal ({threshold}); give the approval reference.',
    ),
    params: { askPrice: 'money', threshold: 'money' },
  },
  APPRAISAL_EXPIRED: {
    title: t('评估已过期', 'Appraisal expired'),
    detail: t('评估报告已于{expiredOn}过期，请重新评估。', 'The appraisal expired on {expiredOn}; file a new one.'),
    params: { expiredOn: 'date' },
  },
  REAPPRAISAL_REQUIRED: {
    title: t('需要重新评估', 'Re-appraisal required'),
    detail: t(
      '首次披露后超过12个月仍无合格受让方，须终止本项目并重新评估后挂牌。',
      'More than 12 months without a qualified buyer: end this listing and list again on a new appraisal.',
    ),
  },
  DEPOSIT_TOO_HIGH: {
    title: t('保证金过高', 'Deposit too high'),
    detail: t('保证金{depositAmount}超过挂牌价的上限（最多{maximum}）。', 'The deposit {depositAmount} is above the cap of {maximum}.'),
    params: { depositAmount: 'money', maximum: 'money' },
  },
  DEPOSIT_AMOUNT_MISMATCH: {
    title: t('保证金金额不符', 'Deposit amount differs'),
    detail: t('本项目的保证金为{depositAmount}。', 'The deposit for this listing is {depositAmount}.'),
    params: { depositAmount: 'money' },
  },
  EXTENSION_TOO_SHORT: {
    title: t('延期过短', 'Extension too short'),
    detail: t('每次延期至少{minimum}个工作日。', 'Each extension is at least {minimum} working days.'),
    params: { minimum: 'count' },
  },
  NOT_REGISTERED: {
    title: t('未报名', 'Not registered'),
    detail: t('该机构未报名本轮。', 'That organisation has no registration in this round.'),
  },
  BID_TOO_LOW: {
    title: t('报价过低', 'Bid too low'),
    detail: t('报价须不低于{minimum}。', 'A bid must be at least {minimum}.'),
    params: { minimum: 'money' },
  },
  BID_NOT_ON_INCREMENT: {
    title: t('报价不符合加价幅度', 'Bid not on the increment'),
    detail: t('报价须为{base}加{increment}的整数倍。', 'A bid must be {base} plus a whole multiple of {increment}.'),
    params: { base: 'money', increment: 'money' },
  },
  ALREADY_HIGHEST_BIDDER: {
    title: t('已是最高报价', 'Already the highest bidder'),
    detail: t('您已持有最高报价。', 'You already hold the highest bid.'),
  },
  PRICE_BELOW_ASK: {
    title: t('低于挂牌价', 'Below the ask'),
    detail: t('协议转让价格须不低于挂牌价{askPrice}。', 'A negotiated price must be at least the ask {askPrice}.'),
    params: { askPrice: 'money' },
  },
  LIMIT_REACHED: {
    title: t('已达上限', 'Limit reached'),
    detail: t('已达上限（{limit}）。', 'The limit ({limit}) is reached.'),
    params: { limit: 'count' },
    variants: {
      open_orders: t(
        '贵机构的未成交订单已达{limit}笔上限，请先撤销部分订单。',
        'Your organisation already has {limit} open orders; cancel some first.',
      ),
    },
  },
  CSRF_REJECTED: {
    title: t('请求来源不被接受', 'Request origin refused'),
    detail: t(
      '该请求不是从交易所页面发出的，或缺少防伪令牌，请刷新页面后重试。',
      "The request did not come from the exchange's page or lacks its anti-forgery token; reload the page and retry.",
    ),
  },
  PRICE_NOT_ON_TICK: {
    title: t('价格不符合最小变动单位', 'Price not on the tick'),
    detail: t('价格须为0.01个百分点的正整数倍。', 'The price must be a positive multiple of 0.01 percentage point.'),
  },
  QUANTITY_NOT_ON_LOT: {
    title: t('数量不是整手', 'Quantity not on the lot'),
    detail: t('数量{quantity}不是每手{lotSize}的整数倍。', 'The quantity {quantity} is not a whole number of lots of {lotSize}.'),
    params: { quantity: 'quantity', lotSize: 'quantity' },
  },
  PRICE_OUT_OF_BAND: {
    title: t('价格超出范围', 'Price out of band'),
    detail: t('价格须在净值的{min}至{max}之间。', 'The price must be between {min} and {max} of NAV.'),
    params: { min: 'pct', max: 'pct' },
  },
  INVALID_RANGE: {
    title: t('范围有误', 'Invalid range'),
    detail: t(
      '查询范围有误：起点晚于终点，或超出可查询的年份。',
      'The range is invalid: its start is after its end, or it is outside the years served.',
    ),
  },
  PASSWORD_CHANGE_REQUIRED: {
    title: t('请先修改密码', 'Change your password first'),
    detail: t('首次登录须先设置自己的密码，然后才能办理其他业务。', 'Choose your own password before anything else.'),
  },
  DUPLICATE_USCC: {
    title: t('机构已登记', 'Organisation already registered'),
    detail: t('统一社会信用代码{uscc}已登记为机构{orgId}。', 'The unified social credit code {uscc} is already registered to {orgId}.'),
    params: { uscc: 'text', orgId: 'text' },
  },
  USERNAME_TAKEN: {
    title: t('用户名已被使用', 'Username taken'),
    detail: t('用户名{username}已被使用，请换一个。', 'The username {username} is taken.'),
    params: { username: 'text' },
  },
  FUND_EXISTS: {
    title: t('基金已存在', 'Fund exists'),
    detail: t('基金编号{fundId}已被使用。', 'A fund with the id {fundId} exists already.'),
    params: { fundId: 'text' },
  },
  NOT_QUALIFIED: {
    title: t('未达合格投资者标准', 'Below the qualified-investor thresholds'),
    detail: t(
      '净资产{netAssets}（标准{minNetAssets}）、金融资产{financialAssets}（标准{minFinancialAssets}），未达合格投资者标准。',
      'Net assets {netAssets} (threshold {minNetAssets}) and financial assets ' +
        '{financialAssets} (threshold {minFinancialAssets}) do not qualify.',
    ),
    params: { netAssets: 'money', minNetAssets: 'money', financialAssets: 'money', minFinancialAssets: 'money', missed: 'text' },
  },
  PLEDGE_NOT_ALLOWED: {
    title: t('不得质押', 'Pledge not allowed'),
    detail: t('该基金的合伙协议禁止质押其份额。', "The fund's partnership agreement forbids pledging its shares."),
  },
  INKIND_NOT_ALLOWED: {
    title: t('不得实物分配', 'In-kind distribution not allowed'),
    detail: t('该持股不符合实物分配的条件。', 'This holding cannot be distributed in kind.'),
    variants: {
      fund_is_controlling_or_largest_shareholder: t(
        '基金是该公司的控股股东或第一大股东，不得实物分配。',
        'The fund is the controlling or largest shareholder: no in-kind distribution.',
      ),
      shares_locked_up: t('股份仍在限售期内，不得实物分配。', 'The shares are still locked up: no in-kind distribution.'),
      shares_pledged_or_frozen: t('股份已被质押或冻结，不得实物分配。', 'The shares are pledged or frozen: no in-kind distribution.'),
    },
  },
  PAYLOAD_TOO_LARGE: {
    title: t('内容过大', 'Too large'),
    detail: t('请求内容过大。', 'The request body is too large.'),
  },
  RATE_LIMITED: {
    title: t('请稍后再试', 'Try again later'),
    detail: t('请求过于频繁，请稍后再试。', 'Too many requests; try again in a moment.'),
    params: { limit: 'count' },
    variants: {
      sign_in: t('登录失败次数过多，请几分钟后再试。', 'Too many failed sign-ins; try again in a few minutes.'),
      busy: t('交易所繁忙，请用相同请求编号重试。', 'The exchange is busy; retry with the same Idempotency-Key.'),
    },
  },
  NOT_READY: {
    title: t('系统未就绪', 'Not ready'),
    detail: t('交易所正在启动，请稍后再试。', 'The exchange is starting; try again shortly.'),
  },
  INTERNAL: {
    title: t('系统错误', 'Internal error'),
    detail: t('系统内部错误，请联系交易所并提供请求时间。', 'Internal error; contact the exchange with the time of the request.'),
  },
};

/** Names of states, for the `{state}` of an INVALID_STATE message. */
export const STATE_NAMES: Readonly<Record<string, Text>> = {
  draft: t('草稿', 'a draft'),
  submitted: t('已提交', 'submitted'),
  reviewed: t('已审核', 'reviewed'),
  approved: t('已批准', 'approved'),
  disclosure: t('信息披露中', 'in disclosure'),
  qualification: t('资格确认中', 'in the qualification phase'),
  closed: t('披露结束', 'closed'),
  bidding: t('竞价中', 'bidding'),
  bidding_closed: t('竞价结束', 'bidding closed'),
  award_pending: t('成交待确认', 'award pending'),
  awarded: t('已成交', 'awarded'),
  withdrawn: t('已撤回', 'withdrawn'),
  rejected: t('已驳回', 'rejected'),
  suspended: t('已中止', 'suspended'),
  ended: t('已终结', 'ended'),
  rofr_pending: t('优先购买权期内', 'in the ROFR window'),
  gp_consent_pending: t('待管理人同意', 'awaiting GP consent'),
  review_pending: t('待审核', 'awaiting review'),
  approval_pending: t('待批准', 'awaiting approval'),
  payment_pending: t('待付款', 'awaiting payment'),
  registration_pending: t('待登记', 'awaiting registration'),
  completed: t('已完成', 'completed'),
  refused: t('管理人已拒绝', 'refused by the GP'),
  failed: t('已失败', 'failed'),
  open: t('未成交', 'open'),
  filled: t('已成交', 'filled'),
  cancelled: t('已撤销', 'cancelled'),
  expired: t('已过期', 'expired'),
};
