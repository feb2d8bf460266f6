import { expect } from 'chai';
import { isValidUscc, usccCheckCharacter, usccProblem } from '../../shared/uscc';

/** Codes of real, registered entities (public registration records) and the standard's own example. */
const REAL_CODES = [
  ['91350100M000100Y43', 'GB 32100-2015 example'],
  ['914403001922038216', 'Huawei Technologies Co., Ltd.'],
  ['91440300708461136T', 'Shenzhen Tencent Computer Systems Co., Ltd.'],
  ['91330100716105852F', 'Alibaba (China) Co., Ltd.'],
  ['91110108551385082Q', 'Beijing Xiaomi Technology Co., Ltd.'],
  ['91110000100017643K', 'a central state-owned enterprise registered in Beijing'],
] as const;

describe('the unified social credit code (GB 32100-2015)', () => {
  for (const [code, whose] of REAL_CODES) {
    it(`accepts ${code} (${whose})`, () => {
      expect(usccProblem(code)).to.equal(null);
      expect(usccCheckCharacter(code.slice(0, 17))).to.equal(code[17]);
    });
  }

  it('refuses every real code with its check character replaced by any other character', () => {
    for (const [code] of REAL_CODES) {
      for (const ch of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
        if (ch === code[17]) continue;
        expect(usccProblem(code.slice(0, 17) + ch), code.slice(0, 17) + ch).to.equal('CHECK_CHARACTER');
      }
    }
  });

  it('refuses a real code with one body character changed, or two neighbours swapped', () => {
    const altered = [
      ['914403001922038226', 'one digit changed'],
      ['91440300708461163T', 'two digits swapped'],
      ['91330100716105825F', 'two digits swapped'],
      ['91350100M000100Y34', 'check character swapped with its neighbour'],
    ] as const;
    for (const [code, how] of altered) expect(isValidUscc(code), how).to.equal(false);
  });

  const table: [string, string][] = [
    ['91350100M000100Y4', 'LENGTH'],
    ['91350100M000100Y433', 'LENGTH'],
    ['', 'LENGTH'],
    ['91350100M000100I43', 'CHARACTER'],
    ['91350100M000100O43', 'CHARACTER'],
    ['91350100m000100Y43', 'CHARACTER'],
    ['9135A100M000100Y43', 'DIVISION'],
  ];
  for (const [code, problem] of table) {
    it(`names the problem of "${code}": ${problem}`, () => expect(usccProblem(code)).to.equal(problem));
  }

  it('writes a check value of 31 as 0', () => {
    // 17 characters whose weighted sum is a multiple of 31 check to 0 (the only way to get 0).
    expect(usccCheckCharacter('00000000000000000')).to.equal('0');
  });
});
