/** Chinese and English strings; `t(lang, key)` falls back to the key so a missing string is visible. */
import type { Lang } from './state';

const zh = {
  appName: 'S基金份额转让平台', market: '行情', account: '我的委托与持仓', listings: '挂牌', transfers: '转让',
  inbox: '待办', signIn: '登录', signOut: '退出', username: '用户名', password: '密码', lang: 'English',
  colourSwitch: '切换涨跌颜色', colourRedUp: '红涨绿跌', colourGreenUp: '绿涨红跌', announceOn: '价格播报：开', announceOff: '价格播报：关',
  stale: '行情连接中断，数据可能已过时；正在重连，页面每隔几秒刷新一次。', fund: '基金', manager: '管理人', strategy: '策略',
  vintage: '设立年份', bestBid: '最优买价', bestAsk: '最优卖价', last: '最新价', modelPrice: '模型价格', pctNav: '占净值%',
  navPerUnit: '每元认缴净值', navDate: '净值基准日', lotSize: '最小单位', depth: '买卖盘', bid: '买', ask: '卖', price: '价格',
  quantity: '认缴额', orders: '笔数', tape: '成交记录', time: '时间', venue: '场所', consideration: '转让对价',
  priceHistory: '价格走势（占净值%）', valuation: '估值摘要', noValuation: '暂无估值报告', ticket: '下单', side: '方向',
  buy: '买入', sell: '卖出', tif: '有效期', place: '提交委托', unfunded: '承接未实缴出资', noData: '暂无数据',
  myOrders: '我的委托', positions: '持仓', commitment: '认缴', paidIn: '实缴', available: '可用', nav: '净值',
  status: '状态', filled: '已成交', cancel: '撤单', newListing: '新建挂牌', method: '方式', auction: '公开竞价', sealed: '密封报价',
  askPrice: '挂牌价（元）', increment: '加价幅度（元）', deposit: '保证金（元）', conditions: '受让方条件', suggestedAsk: '建议挂牌价',
  stateOwned: '国有资产（适用国资规则）', resolutionRef: '内部决议文号', approvalRef: '批准文号', appraisalRef: '评估备案号',
  appraisalValue: '评估值（元）', appraisalBaseDate: '评估基准日', create: '创建草稿', submit: '提交审核', checks: '国资合规检查',
  checkAppraisal: '挂牌价不低于评估值', checkDeposit: '保证金不超过挂牌价的30%', checkValidity: '评估基准日起一年内有效',
  checkDisclosure: '正式披露不少于20个工作日', state: '状态', open: '打开', auctionRoom: '竞价室', currentPrice: '当前价',
  countdown: '剩余时间', bidders: '竞买人', placeBid: '出价', register: '报名', yourAlias: '您的代号', leading: '领先',
  timeline: '流程', nextActor: '下一步', deadline: '截止', confirmation: '交易凭证（PDF）', seller: '转让方', buyer: '受让方',
  action: '操作', reason: '理由', bankRef: '银行流水号', registrationRef: '工商变更登记号', amacRef: '中基协变更号',
  stateEquityRef: '国有产权登记号', fourEyes: '四眼原则：批准人不得与审核人相同', reviewedBy: '审核人', gpInbox: 'GP 同意事项',
  operatorQueue: '运营审核队列', listingQueue: '挂牌审核与资格', orgId: '机构编号', noItems: '没有待办事项', close: '关闭',
  signedInAs: '当前用户', loading: '加载中…', error: '出错了', step_rofr: '优先购买权', step_gp_consent: 'GP 同意',
  step_review: '运营审核', step_approval: '运营批准', step_payment: '付款', step_registration: '变更登记',
  act_gp_consent: '同意转让', act_gp_refuse: '拒绝', act_review: '审核通过', act_approve: '批准', act_reject: '驳回',
  act_confirm_payment: '确认到账', act_record_registration: '登记完成', act_rofr_waive: '放弃优先购买权', act_rofr_exercise: '行使优先购买权',
  act_review_listing: '审核', act_approve_listing: '批准', act_qualify: '资格确认', act_confirm_deposit: '确认保证金',
  act_award: '成交确认', done: '完成', pending: '进行中', waiting: '等待', skipped: '不适用', refused: '已拒绝', failed: '已失败',
  cancelled: '已取消', provisional: '（暂定）', priceUp: '上涨', priceDown: '下跌', by: '经办', liveRegion: '价格变动播报',
  qualified: '已合格', ordersPlaced: '委托已提交', actionDone: '已完成操作',
  users: '用户管理', userName: '用户', organisation: '机构', roles: '角色', openSessions: '在线会话',
  userActive: '正常', userSuspended: '已停用', endSessions: '结束全部会话', suspend: '停用', reinstate: '恢复',
  reasonRequired: '请填写理由',
  st_open: '未成交', st_filled: '已成交', st_cancelled: '已撤销', st_expired: '已过期', st_rejected: '已驳回', st_done: '完成', st_pending: '进行中', st_waiting: '等待', st_skipped: '不适用', st_refused: '已拒绝', st_failed: '已失败', st_completed: '已完成', st_rofr_pending: '优先购买权期间', st_gp_consent_pending: '待GP同意', st_review_pending: '待审核', st_approval_pending: '待批准', st_payment_pending: '待付款', st_registration_pending: '待登记', st_draft: '草稿', st_submitted: '已提交', st_reviewed: '已审核', st_approved: '已批准', st_disclosure: '披露中', st_closed: '已截止', st_bidding: '竞价中', st_bidding_closed: '竞价结束', st_awarded: '已成交', st_withdrawn: '已撤回', st_ended: '已终止', st_suspended: '已中止', st_lapsed: '已失效', role_lp: '其他合伙人', role_gp: 'GP', role_operator: '运营', role_buyer: '受让方', role_seller: '转让方',
};
type Key = keyof typeof zh;

const en: Record<Key, string> = {
  appName: 'S-fund exchange', market: 'Market', account: 'Orders & positions', listings: 'Listings', transfers: 'Transfers',
  inbox: 'Inbox', signIn: 'Sign in', signOut: 'Sign out', username: 'User name', password: 'Password', lang: '中文',
  colourSwitch: 'Switch up/down colours', colourRedUp: 'Red up, green down', colourGreenUp: 'Green up, red down', announceOn: 'Price announcements: on', announceOff: 'Price announcements: off',
  stale: 'Live quotes disconnected; data may be stale. Reconnecting; the page refreshes every few seconds.', fund: 'Fund', manager: 'Manager', strategy: 'Strategy',
  vintage: 'Vintage', bestBid: 'Best bid', bestAsk: 'Best ask', last: 'Last', modelPrice: 'Model price', pctNav: '% of NAV',
  navPerUnit: 'NAV per yuan committed', navDate: 'NAV reference date', lotSize: 'Lot', depth: 'Depth', bid: 'Bid', ask: 'Ask', price: 'Price',
  quantity: 'Commitment', orders: 'Orders', tape: 'Trades', time: 'Time', venue: 'Venue', consideration: 'Consideration',
  priceHistory: 'Price history (% of NAV)', valuation: 'Valuation summary', noValuation: 'No valuation report yet', ticket: 'Order ticket', side: 'Side',
  buy: 'Buy', sell: 'Sell', tif: 'Time in force', place: 'Place order', unfunded: 'Unfunded commitment taken over', noData: 'No data',
  myOrders: 'My orders', positions: 'Positions', commitment: 'Commitment', paidIn: 'Paid-in', available: 'Available', nav: 'NAV',
  status: 'Status', filled: 'Filled', cancel: 'Cancel', newListing: 'New listing', method: 'Method', auction: 'Open auction', sealed: 'Sealed bids',
  askPrice: 'Ask (RMB)', increment: 'Increment (RMB)', deposit: 'Deposit (RMB)', conditions: 'Buyer conditions', suggestedAsk: 'Suggested ask',
  stateOwned: 'State-owned (state-owned rules apply)', resolutionRef: 'Resolution ref.', approvalRef: 'Approval ref.', appraisalRef: 'Appraisal filing ref.',
  appraisalValue: 'Appraisal value (RMB)', appraisalBaseDate: 'Appraisal base date', create: 'Create draft', submit: 'Submit for review', checks: 'State-owned checks',
  checkAppraisal: 'Ask not below the appraisal', checkDeposit: 'Deposit at most 30% of the ask', checkValidity: 'Appraisal valid 1 year from its base date',
  checkDisclosure: 'Formal disclosure at least 20 working days', state: 'State', open: 'Open', auctionRoom: 'Auction room', currentPrice: 'Current price',
  countdown: 'Time left', bidders: 'Bidders', placeBid: 'Bid', register: 'Register', yourAlias: 'Your alias', leading: 'Leading',
  timeline: 'Steps', nextActor: 'Next', deadline: 'Deadline', confirmation: 'Transfer confirmation (PDF)', seller: 'Seller', buyer: 'Buyer',
  action: 'Action', reason: 'Reason', bankRef: 'Bank reference', registrationRef: 'Registration ref.', amacRef: 'AMAC ref.',
  stateEquityRef: 'State equity registration ref.', fourEyes: 'Four eyes: the approver must not be the reviewer', reviewedBy: 'Reviewed by', gpInbox: 'GP consents',
  operatorQueue: 'Operator queue', listingQueue: 'Listing reviews and qualifications', orgId: 'Organisation id', noItems: 'Nothing waiting', close: 'Close',
  signedInAs: 'Signed in as', loading: 'Loading…', error: 'Error', step_rofr: 'Right of first refusal', step_gp_consent: 'GP consent',
  step_review: 'Operator review', step_approval: 'Operator approval', step_payment: 'Payment', step_registration: 'Registration',
  act_gp_consent: 'Consent', act_gp_refuse: 'Refuse', act_review: 'Review', act_approve: 'Approve', act_reject: 'Reject',
  act_confirm_payment: 'Confirm payment', act_record_registration: 'Record registration', act_rofr_waive: 'Waive ROFR', act_rofr_exercise: 'Exercise ROFR',
  act_review_listing: 'Review', act_approve_listing: 'Approve', act_qualify: 'Qualify', act_confirm_deposit: 'Confirm deposit',
  act_award: 'Award', done: 'done', pending: 'pending', waiting: 'waiting', skipped: 'not applicable', refused: 'refused', failed: 'failed',
  cancelled: 'cancelled', provisional: ' (provisional)', priceUp: 'up', priceDown: 'down', by: 'by', liveRegion: 'Price announcements',
  qualified: 'qualified', ordersPlaced: 'Order placed', actionDone: 'Done',
  users: 'Users', userName: 'User', organisation: 'Organisation', roles: 'Roles', openSessions: 'Open sessions',
  userActive: 'active', userSuspended: 'suspended', endSessions: 'End all sessions', suspend: 'Suspend', reinstate: 'Reinstate',
  reasonRequired: 'Give a reason',
  st_open: 'open', st_filled: 'filled', st_cancelled: 'cancelled', st_expired: 'expired', st_rejected: 'rejected', st_done: 'done', st_pending: 'pending', st_waiting: 'waiting', st_skipped: 'skipped', st_refused: 'refused', st_failed: 'failed', st_completed: 'completed', st_rofr_pending: 'rofr pending', st_gp_consent_pending: 'gp consent pending', st_review_pending: 'review pending', st_approval_pending: 'approval pending', st_payment_pending: 'payment pending', st_registration_pending: 'registration pending', st_draft: 'draft', st_submitted: 'submitted', st_reviewed: 'reviewed', st_approved: 'approved', st_disclosure: 'disclosure', st_closed: 'closed', st_bidding: 'bidding', st_bidding_closed: 'bidding closed', st_awarded: 'awarded', st_withdrawn: 'withdrawn', st_ended: 'ended', st_suspended: 'suspended', st_lapsed: 'lapsed', role_lp: 'other LPs', role_gp: 'GP', role_operator: 'operator', role_buyer: 'buyer', role_seller: 'seller',
};

const tables: Record<Lang, Record<string, string>> = { zh, en };

export type StringKey = Key;
export function t(lang: Lang, key: Key | string): string {
  return tables[lang][key] ?? tables.en[key] ?? key;
}
