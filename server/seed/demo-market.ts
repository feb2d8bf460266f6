/**
 * The demo market of api.md ("Demo mode"): Beijing science-and-technology funds, their manager, LPs
 * (one private, one state-owned, others holding the rest), two qualified S-fund buyers and two
 * operators. Dated from the exchange's clock at first start, so it is equally valid on a simulated
 * clock that starts in the past.
 */
import type { Strategy } from '../../db/schema';

/** `uscc`: an invented unified social credit code with a correct check character (shared/uscc.ts). */
export interface DemoOrg {
  id: string;
  uscc: string;
  name: string;
  nameEn: string;
  kind: 'lp' | 'buyer' | 'gp' | 'exchange' | 'pledgee';
  stateOwned: boolean;
}
export interface DemoUser {
  username: string;
  orgId: string;
  displayName: string;
  roles: ('seller' | 'buyer' | 'gp' | 'operator' | 'admin' | 'pledgee')[];
}
export interface DemoFund {
  id: string;
  name: string;
  nameEn: string;
  strategy: Strategy;
  vintage: number;
  termYears: number;
  totalCommitment: string;
  amacFiling: string;
  rofr: boolean;
  gpConsent: boolean;
  pledgeAllowed: boolean;
  /** All demo funds are limited partnerships (有限合伙): at most 50 partners. */
  legalForm: 'partnership';
  /** A pledge of this fund's shares needs the GP's consent first (fund term). */
  pledgeNeedsConsent?: boolean;
  /** Paid-in as a share of commitment, and NAV as a multiple of paid-in (TVPI net of distributions), as decimal strings. */
  paidInRatio: string;
  navMultiple: string;
  distributedRatio: string;
  /** Commitments by holder, whole yuan; the rest of the fund is held by `lp-others`. */
  holders: Record<string, string>;
}

export const DEMO_PASSWORD = 'demo-pass';

export const DEMO_ORGS: DemoOrg[] = [
  {
    id: 'org-exchange',
    uscc: '12110000MB0160001W',
    name: '北京股权交易中心',
    nameEn: 'Beijing Equity Exchange Center',
    kind: 'exchange',
    stateOwned: true,
  },
  {
    id: 'org-gp',
    uscc: '91110108MA01G0002Y',
    name: '北京海淀前沿科技私募基金管理有限公司',
    nameEn: 'Haidian Frontier Tech Private Fund Management Co., Ltd.',
    kind: 'gp',
    stateOwned: false,
  },
  {
    id: 'org-lp',
    uscc: '91110105MA01J00036',
    name: '京华长青投资有限公司',
    nameEn: 'Jinghua Evergreen Investment Co., Ltd.',
    kind: 'lp',
    stateOwned: false,
  },
  {
    id: 'org-lp-soe',
    uscc: '91110000MA01K0004K',
    name: '北京市科创国有资本投资运营有限公司',
    nameEn: 'Beijing Sci-Tech State Capital Investment and Operation Co., Ltd.',
    kind: 'lp',
    stateOwned: true,
  },
  {
    id: 'org-buyer1',
    uscc: '91110108MA01L00057',
    name: '中关村科创S基金一期（北京）合伙企业（有限合伙）',
    nameEn: 'Zhongguancun Sci-Tech Secondary Fund I (Beijing) LP',
    kind: 'buyer',
    stateOwned: false,
  },
  {
    id: 'org-buyer2',
    uscc: '91110000MA01M00069',
    name: '燕山人寿保险资产管理有限公司',
    nameEn: 'Yanshan Life Insurance Asset Management Co., Ltd.',
    kind: 'buyer',
    stateOwned: false,
  },
  {
    id: 'org-lp-guidance',
    uscc: '91110000MA01N00074',
    name: '北京市科技创新产业引导基金（有限合伙）',
    nameEn: 'Beijing Sci-Tech Innovation Guidance Fund LP',
    kind: 'lp',
    stateOwned: true,
  },
  {
    id: 'org-lp-others',
    uscc: '91120116MA01P0008E',
    name: '京津冀产业协同发展投资有限公司',
    nameEn: 'Jing-Jin-Ji Industrial Collaboration Investment Co., Ltd.',
    kind: 'lp',
    stateOwned: false,
  },
  {
    id: 'org-bank',
    uscc: '91110108MA01R0010F',
    name: '京城银行股份有限公司',
    nameEn: 'Jingcheng Bank Co., Ltd.',
    kind: 'pledgee',
    stateOwned: false,
  },
];

export const DEMO_USERS: DemoUser[] = [
  { username: 'lp', orgId: 'org-lp', displayName: '王敏 Wang Min', roles: ['seller', 'buyer'] },
  { username: 'lp-soe', orgId: 'org-lp-soe', displayName: '李强 Li Qiang', roles: ['seller'] },
  { username: 'buyer1', orgId: 'org-buyer1', displayName: '陈静 Chen Jing', roles: ['buyer'] },
  { username: 'buyer2', orgId: 'org-buyer2', displayName: '赵磊 Zhao Lei', roles: ['buyer'] },
  { username: 'gp', orgId: 'org-gp', displayName: '刘洋 Liu Yang', roles: ['gp'] },
  { username: 'operator1', orgId: 'org-exchange', displayName: '孙悦 Sun Yue', roles: ['operator'] },
  { username: 'operator2', orgId: 'org-exchange', displayName: '周婷 Zhou Ting', roles: ['operator'] },
  { username: 'bank', orgId: 'org-bank', displayName: '吴芳 Wu Fang', roles: ['pledgee'] },
  { username: 'admin', orgId: 'org-exchange', displayName: '系统管理员 Administrator', roles: ['admin'] },
];

/** Organisations qualified as investors at seeding (the private LP may buy as well as sell). */
export const DEMO_QUALIFIED = ['org-buyer1', 'org-buyer2', 'org-lp'];

export const DEMO_FUNDS: DemoFund[] = [
  {
    id: 'bj-ai-2021',
    name: '北京人工智能产业投资基金（有限合伙）',
    nameEn: 'Beijing Artificial Intelligence Industry Fund LP',
    strategy: 'growth',
    vintage: 2021,
    termYears: 10,
    totalCommitment: '3000000000',
    amacFiling: 'SQK123',
    legalForm: 'partnership',
    rofr: false,
    gpConsent: true,
    pledgeAllowed: true,
    pledgeNeedsConsent: true,
    paidInRatio: '0.80',
    navMultiple: '1.32',
    distributedRatio: '0.10',
    holders: { 'org-lp': '60000000', 'org-lp-soe': '300000000', 'org-lp-guidance': '600000000' },
  },
  {
    id: 'bj-ic-2019',
    name: '北京集成电路设计创业投资基金（有限合伙）',
    nameEn: 'Beijing Integrated Circuit Design Venture Fund LP',
    strategy: 'venture',
    vintage: 2019,
    termYears: 10,
    totalCommitment: '2000000000',
    amacFiling: 'SJN456',
    legalForm: 'partnership',
    rofr: true,
    gpConsent: true,
    pledgeAllowed: false,
    paidInRatio: '1.00',
    navMultiple: '1.58',
    distributedRatio: '0.35',
    holders: { 'org-lp': '40000000', 'org-lp-soe': '400000000', 'org-lp-guidance': '400000000' },
  },
  {
    id: 'bj-bio-2020',
    name: '北京生物医药创新投资基金（有限合伙）',
    nameEn: 'Beijing Biomedicine Innovation Fund LP',
    strategy: 'venture',
    vintage: 2020,
    termYears: 9,
    totalCommitment: '1500000000',
    amacFiling: 'SLM789',
    legalForm: 'partnership',
    rofr: false,
    gpConsent: false,
    pledgeAllowed: true,
    paidInRatio: '0.90',
    navMultiple: '0.94',
    distributedRatio: '0.05',
    holders: { 'org-lp': '30000000', 'org-lp-guidance': '300000000' },
  },
  {
    id: 'bj-space-2023',
    name: '北京商业航天产业投资基金（有限合伙）',
    nameEn: 'Beijing Commercial Space Industry Fund LP',
    strategy: 'venture',
    vintage: 2023,
    termYears: 10,
    totalCommitment: '1000000000',
    amacFiling: 'SXR234',
    legalForm: 'partnership',
    rofr: false,
    gpConsent: true,
    pledgeAllowed: true,
    pledgeNeedsConsent: true,
    paidInRatio: '0.40',
    navMultiple: '1.08',
    distributedRatio: '0.00',
    holders: { 'org-lp': '20000000', 'org-lp-soe': '100000000' },
  },
  {
    id: 'zgc-hardtech-2018',
    name: '中关村硬科技并购基金（有限合伙）',
    nameEn: 'Zhongguancun Hard-Tech Buyout Fund LP',
    strategy: 'buyout',
    vintage: 2018,
    termYears: 8,
    totalCommitment: '5000000000',
    amacFiling: 'SEH567',
    legalForm: 'partnership',
    rofr: true,
    gpConsent: false,
    pledgeAllowed: true,
    paidInRatio: '0.95',
    navMultiple: '1.21',
    distributedRatio: '0.60',
    holders: { 'org-lp': '100000000', 'org-lp-guidance': '1000000000' },
  },
  {
    id: 'bj-sci-fof-2022',
    name: '北京科技创新母基金（有限合伙）',
    nameEn: 'Beijing Sci-Tech Innovation Fund of Funds LP',
    strategy: 'fof',
    vintage: 2022,
    termYears: 12,
    totalCommitment: '4000000000',
    amacFiling: 'SVW890',
    legalForm: 'partnership',
    rofr: false,
    gpConsent: false,
    pledgeAllowed: false,
    paidInRatio: '0.55',
    navMultiple: '1.05',
    distributedRatio: '0.00',
    holders: { 'org-lp': '50000000', 'org-lp-soe': '800000000' },
  },
];
