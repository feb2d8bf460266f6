/**
 * Portfolio holdings of the six demo funds (demo-market.ts), as compact templates. The figures that
 * depend on the size of the fund (shares held, ownership fractions, the GP's reported marks) are
 * derived from the fund's NAV report in demo-model.ts, so the holdings always fit the reported NAV:
 *
 *   weight   the holding's share of the fund's gross portfolio in the NAV report (weights sum to 1)
 *   drift    how far the holding's fair value has moved since the report ("0.06" = +6%)
 *
 * Company names are fictional. Every figure is a decimal string; nothing here reads a clock.
 */
import type { DlomSpec } from '../../shared/valuation/dlom';
import type { MultipleKind } from '../../shared/valuation/fund-model';

interface TemplateBase { id: string; name: string; weight: string; drift: string }
export type HoldingTemplate = TemplateBase & (
  | { kind: 'listed'; close: string }
  /** Locked-up listed share; the lock-up ends `lockDays` after the NAV reference date. */
  | { kind: 'locked'; close: string; volatility: string; lockDays: number }
  | { kind: 'round'; postMoney: string; calibration: string; dlom: DlomSpec }
  | { kind: 'multiple'; multipleKind: MultipleKind; metric: string; multiple: string; adjustment: string; netDebt?: string; dlom: DlomSpec }
  | { kind: 'dcf'; cashFlows: string[]; discountRate: string; terminalGrowth: string; netDebt: string; dlom: DlomSpec }
  | { kind: 'assets'; netAssets: string; adjustment: string; dlom: DlomSpec }
);

export interface DemoFundValuationTerms {
  /** Cash and liabilities as fractions of the reported NAV. */
  cashRatio: string;
  liabilitiesRatio: string;
  hurdle: string;
  carry: string;
  /** Takahashi–Alexander growth G net of fees and carry, and the bow B. */
  growth: string;
  bow: string;
  holdings: HoldingTemplate[];
}

const asian = (volatility: string, yearsToLiquidity: string): DlomSpec => ({ model: 'asian', volatility, yearsToLiquidity });
const chaffe = (volatility: string, yearsToLiquidity: string): DlomSpec => ({ model: 'chaffe', volatility, yearsToLiquidity, riskFreeRate: '0.018' });
const manual = (discount: string, reference: string): DlomSpec => ({ model: 'manual', discount, reference });
const NONE: DlomSpec = { model: 'none' };

export const DEMO_FUND_HOLDINGS: Readonly<Record<string, DemoFundValuationTerms>> = {
  'bj-ai-2021': {
    cashRatio: '0.045', liabilitiesRatio: '0.012', hurdle: '0.08', carry: '0.20', growth: '0.12', bow: '2.5',
    holdings: [
      { id: 'ai-01', name: '智源芯算 Zhiyuan Compute', kind: 'listed', weight: '0.14', drift: '0.082', close: '86.40' },
      { id: 'ai-02', name: '深言科技 Deepyan Technology', kind: 'locked', weight: '0.16', drift: '-0.045', close: '42.15', volatility: '0.52', lockDays: 410 },
      { id: 'ai-03', name: '灵犀机器人 Lingxi Robotics', kind: 'round', weight: '0.15', drift: '0', postMoney: '12500000000', calibration: '0.95', dlom: asian('0.55', '3') },
      { id: 'ai-04', name: '百川视觉 Baichuan Vision', kind: 'round', weight: '0.11', drift: '0', postMoney: '6800000000', calibration: '0.90', dlom: asian('0.60', '3.5') },
      { id: 'ai-05', name: '云杉数据 Yunshan Data', kind: 'multiple', weight: '0.12', drift: '0.03', multipleKind: 'EV/Sales', metric: '1150000000', multiple: '6.2', adjustment: '0.85', netDebt: '-180000000', dlom: chaffe('0.45', '2.5') },
      { id: 'ai-06', name: '星图智能 Xingtu Intelligence', kind: 'dcf', weight: '0.10', drift: '0', cashFlows: ['60000000', '110000000', '170000000', '230000000', '280000000'], discountRate: '0.16', terminalGrowth: '0.03', netDebt: '40000000', dlom: manual('0.18', '估值委员会决议 Valuation committee minute 2025-Q2-07') },
      { id: 'ai-07', name: '知行语音 Zhixing Speech', kind: 'multiple', weight: '0.09', drift: '-0.02', multipleKind: 'P/E', metric: '95000000', multiple: '32', adjustment: '0.80', dlom: asian('0.45', '2') },
      { id: 'ai-08', name: '极光算力 Jiguang Cloud', kind: 'round', weight: '0.08', drift: '0', postMoney: '3900000000', calibration: '1', dlom: asian('0.65', '4') },
      { id: 'ai-09', name: '恒睿医疗AI Hengrui Medical AI', kind: 'assets', weight: '0.05', drift: '0', netAssets: '520000000', adjustment: '1.05', dlom: manual('0.10', 'Appraisal 京评报字(2025)第118号') },
    ],
  },
  'bj-ic-2019': {
    cashRatio: '0.06', liabilitiesRatio: '0.008', hurdle: '0.08', carry: '0.20', growth: '0.10', bow: '2.5',
    holdings: [
      { id: 'ic-01', name: '华芯微电子 Huaxin Microelectronics', kind: 'listed', weight: '0.18', drift: '0.11', close: '58.70' },
      { id: 'ic-02', name: '北辰射频 Beichen RF', kind: 'listed', weight: '0.09', drift: '-0.065', close: '23.18' },
      { id: 'ic-03', name: '合芯存储 Hexin Memory', kind: 'locked', weight: '0.15', drift: '0.04', close: '71.26', volatility: '0.48', lockDays: 230 },
      { id: 'ic-04', name: '中科光刻 Zhongke Lithography', kind: 'locked', weight: '0.10', drift: '-0.03', close: '115.50', volatility: '0.58', lockDays: 640 },
      { id: 'ic-05', name: '芯原互联 Xinyuan Interconnect', kind: 'round', weight: '0.14', drift: '0', postMoney: '15000000000', calibration: '0.92', dlom: asian('0.50', '2.5') },
      { id: 'ic-06', name: '燕东模拟 Yandong Analog', kind: 'multiple', weight: '0.12', drift: '0.02', multipleKind: 'EV/EBITDA', metric: '310000000', multiple: '18', adjustment: '0.85', netDebt: '260000000', dlom: chaffe('0.40', '2') },
      { id: 'ic-07', name: '清微功率 Qingwei Power', kind: 'multiple', weight: '0.08', drift: '0', multipleKind: 'P/E', metric: '140000000', multiple: '28', adjustment: '0.85', dlom: asian('0.42', '2') },
      { id: 'ic-08', name: '海光封测 Haiguang Packaging', kind: 'dcf', weight: '0.07', drift: '0', cashFlows: ['90000000', '120000000', '150000000', '175000000', '190000000'], discountRate: '0.13', terminalGrowth: '0.025', netDebt: '350000000', dlom: manual('0.15', 'Valuation committee minute 2025-Q2-03') },
      { id: 'ic-09', name: '矽力设计 Silicon Design Studio', kind: 'round', weight: '0.04', drift: '0', postMoney: '2100000000', calibration: '0.85', dlom: asian('0.60', '3') },
      { id: 'ic-10', name: '京微测试 Jingwei Test', kind: 'assets', weight: '0.03', drift: '0', netAssets: '380000000', adjustment: '0.95', dlom: NONE },
    ],
  },
  'bj-bio-2020': {
    cashRatio: '0.08', liabilitiesRatio: '0.015', hurdle: '0.08', carry: '0.20', growth: '0.08', bow: '2.8',
    holdings: [
      { id: 'bio-01', name: '康源生物 Kangyuan Biologics', kind: 'listed', weight: '0.12', drift: '-0.12', close: '31.44' },
      { id: 'bio-02', name: '益诺医药 Yinuo Pharma', kind: 'locked', weight: '0.14', drift: '-0.08', close: '19.82', volatility: '0.62', lockDays: 300 },
      { id: 'bio-03', name: '百济细胞 Baiji Cell Therapy', kind: 'round', weight: '0.18', drift: '0', postMoney: '5200000000', calibration: '0.85', dlom: asian('0.70', '4') },
      { id: 'bio-04', name: '华泰基因 Huatai Genomics', kind: 'round', weight: '0.11', drift: '0', postMoney: '2600000000', calibration: '0.90', dlom: asian('0.65', '3') },
      { id: 'bio-05', name: '明德医疗器械 Mingde Medical Devices', kind: 'multiple', weight: '0.14', drift: '0.05', multipleKind: 'EV/EBITDA', metric: '120000000', multiple: '16', adjustment: '0.85', netDebt: '90000000', dlom: chaffe('0.40', '2') },
      { id: 'bio-06', name: '和瑞诊断 Herui Diagnostics', kind: 'multiple', weight: '0.10', drift: '0', multipleKind: 'EV/Sales', metric: '460000000', multiple: '4.5', adjustment: '0.80', dlom: chaffe('0.45', '2.5') },
      { id: 'bio-07', name: '泽生制药 Zesheng Pharmaceutical', kind: 'dcf', weight: '0.09', drift: '0', cashFlows: ['-40000000', '20000000', '95000000', '160000000', '210000000', '240000000'], discountRate: '0.18', terminalGrowth: '0.02', netDebt: '-60000000', dlom: manual('0.20', 'Valuation committee minute 2025-Q2-11') },
      { id: 'bio-08', name: '北医影像 Beiyi Imaging', kind: 'assets', weight: '0.07', drift: '0', netAssets: '300000000', adjustment: '1', dlom: manual('0.10', 'Appraisal 京评报字(2025)第205号') },
      { id: 'bio-09', name: '圣诺抗体 Shengnuo Antibody', kind: 'round', weight: '0.05', drift: '0', postMoney: '900000000', calibration: '0.80', dlom: asian('0.75', '5') },
    ],
  },
  'bj-space-2023': {
    cashRatio: '0.12', liabilitiesRatio: '0.01', hurdle: '0.08', carry: '0.20', growth: '0.15', bow: '2.2',
    holdings: [
      { id: 'sp-01', name: '天仪卫星 Tianyi Satellite', kind: 'round', weight: '0.26', drift: '0', postMoney: '9000000000', calibration: '0.95', dlom: asian('0.60', '4') },
      { id: 'sp-02', name: '星河动力 Xinghe Propulsion', kind: 'round', weight: '0.22', drift: '0', postMoney: '14000000000', calibration: '0.90', dlom: asian('0.65', '4.5') },
      { id: 'sp-03', name: '微纳星空 Weina Space', kind: 'multiple', weight: '0.15', drift: '0.04', multipleKind: 'EV/Sales', metric: '420000000', multiple: '7', adjustment: '0.80', netDebt: '50000000', dlom: chaffe('0.50', '3') },
      { id: 'sp-04', name: '航天测控 Hangtian TT&C', kind: 'locked', weight: '0.14', drift: '0.09', close: '38.60', volatility: '0.55', lockDays: 520 },
      { id: 'sp-05', name: '九天遥感 Jiutian Remote Sensing', kind: 'dcf', weight: '0.13', drift: '0', cashFlows: ['10000000', '35000000', '70000000', '110000000', '150000000'], discountRate: '0.20', terminalGrowth: '0.03', netDebt: '0', dlom: manual('0.22', 'Valuation committee minute 2025-Q2-15') },
      { id: 'sp-06', name: '中科宇航材料 Zhongke Aerospace Materials', kind: 'assets', weight: '0.10', drift: '0', netAssets: '600000000', adjustment: '1.1', dlom: manual('0.12', 'Appraisal 京评报字(2025)第233号') },
    ],
  },
  'zgc-hardtech-2018': {
    cashRatio: '0.05', liabilitiesRatio: '0.03', hurdle: '0.08', carry: '0.20', growth: '0.07', bow: '2.5',
    holdings: [
      { id: 'ht-01', name: '京城精密机床 Jingcheng Precision Machinery', kind: 'multiple', weight: '0.19', drift: '0.03', multipleKind: 'EV/EBITDA', metric: '420000000', multiple: '9.5', adjustment: '0.90', netDebt: '900000000', dlom: chaffe('0.30', '2') },
      { id: 'ht-02', name: '燕山激光 Yanshan Laser', kind: 'multiple', weight: '0.15', drift: '-0.04', multipleKind: 'EV/EBIT', metric: '300000000', multiple: '12', adjustment: '0.90', netDebt: '450000000', dlom: chaffe('0.32', '1.5') },
      { id: 'ht-03', name: '中关村新材料 ZGC Advanced Materials', kind: 'dcf', weight: '0.14', drift: '0', cashFlows: ['210000000', '230000000', '250000000', '265000000', '280000000'], discountRate: '0.11', terminalGrowth: '0.02', netDebt: '700000000', dlom: manual('0.12', 'Valuation committee minute 2025-Q2-02') },
      { id: 'ht-04', name: '北方工业视觉 Beifang Industrial Vision', kind: 'listed', weight: '0.13', drift: '0.055', close: '27.35' },
      { id: 'ht-05', name: '华北轴承 Huabei Bearings', kind: 'locked', weight: '0.11', drift: '-0.02', close: '14.92', volatility: '0.36', lockDays: 150 },
      { id: 'ht-06', name: '海淀电驱 Haidian E-Drive', kind: 'multiple', weight: '0.10', drift: '0', multipleKind: 'P/E', metric: '180000000', multiple: '15', adjustment: '0.85', dlom: asian('0.35', '2') },
      { id: 'ht-07', name: '京津特钢 Jingjin Special Steel', kind: 'assets', weight: '0.08', drift: '0', netAssets: '2400000000', adjustment: '0.90', dlom: NONE },
      { id: 'ht-08', name: '精工液压 Jinggong Hydraulics', kind: 'multiple', weight: '0.06', drift: '0', multipleKind: 'P/B', metric: '900000000', multiple: '1.6', adjustment: '0.90', dlom: asian('0.30', '1.5') },
      { id: 'ht-09', name: '智造云 Zhizao Cloud', kind: 'round', weight: '0.04', drift: '0', postMoney: '2800000000', calibration: '0.90', dlom: asian('0.50', '3') },
    ],
  },
  'bj-sci-fof-2022': {
    cashRatio: '0.07', liabilitiesRatio: '0.005', hurdle: '0.06', carry: '0.10', growth: '0.10', bow: '2.5',
    holdings: [
      { id: 'fof-01', name: '海淀早期科创子基金 Haidian Early-Stage Sub-Fund LP', kind: 'assets', weight: '0.18', drift: '0.02', netAssets: '3200000000', adjustment: '1', dlom: manual('0.08', 'Sub-fund NAV statement 2025-Q2') },
      { id: 'fof-02', name: '亦庄先进制造子基金 Yizhuang Advanced Manufacturing Sub-Fund LP', kind: 'assets', weight: '0.16', drift: '0', netAssets: '2600000000', adjustment: '0.98', dlom: manual('0.08', 'Sub-fund NAV statement 2025-Q2') },
      { id: 'fof-03', name: '昌平生命科学子基金 Changping Life Sciences Sub-Fund LP', kind: 'assets', weight: '0.14', drift: '-0.03', netAssets: '2100000000', adjustment: '0.95', dlom: manual('0.10', 'Sub-fund NAV statement 2025-Q2') },
      { id: 'fof-04', name: '中关村信创子基金 ZGC IT Innovation Sub-Fund LP', kind: 'assets', weight: '0.13', drift: '0', netAssets: '1800000000', adjustment: '1', dlom: manual('0.08', 'Sub-fund NAV statement 2025-Q2') },
      { id: 'fof-05', name: '顺义新能源子基金 Shunyi New Energy Sub-Fund LP', kind: 'assets', weight: '0.10', drift: '0', netAssets: '1500000000', adjustment: '0.97', dlom: manual('0.10', 'Sub-fund NAV statement 2025-Q2') },
      { id: 'fof-06', name: '量子计算共同投资 Quantum Computing Co-Investment', kind: 'round', weight: '0.09', drift: '0', postMoney: '7500000000', calibration: '0.95', dlom: asian('0.60', '4') },
      { id: 'fof-07', name: '储能科技共同投资 Energy Storage Co-Investment', kind: 'multiple', weight: '0.08', drift: '0.03', multipleKind: 'EV/EBITDA', metric: '260000000', multiple: '14', adjustment: '0.85', netDebt: '300000000', dlom: chaffe('0.40', '2') },
      { id: 'fof-08', name: '科创板半导体设备 STAR Semiconductor Equipment', kind: 'locked', weight: '0.07', drift: '0.06', close: '96.80', volatility: '0.50', lockDays: 360 },
      { id: 'fof-09', name: '创业板软件 ChiNext Software', kind: 'listed', weight: '0.05', drift: '-0.05', close: '44.06' },
    ],
  },
};
