/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character
 * alphabet (digits and capital letters without I, O, S, V, Z). Position 1 is the registration
 * authority, 2 the kind of entity, 3–8 the administrative division (digits), 9–17 the organisation
 * code, and 18 a check character: with each character's value v_i (its index in the alphabet) and
 * weights w_i = 3^(i-1) mod 31, the check value is 31 − (Σ v_i·w_i mod 31), where 31 is written 0.
 * Pure: shared by the server (which refuses a bad code) and the client (which says so as you type).
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character the first 17 characters call for, or null when one of them is outside the alphabet. */
export function usccCheckCharacter(first17: string): string | null {
  if (first17.length !== 17) return null;
  let total = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]!);
    if (v < 0) return null;
    total += v * WEIGHTS[i]!;
  }
  return USCC_ALPHABET[(31 - (total % 31)) % 31]!;
}

export type UsccProblem = 'LENGTH' | 'CHARACTER' | 'DIVISION' | 'CHECK_CHARACTER';

/** Why `code` is not a valid unified social credit code, or null when it is. Upper case only. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return 'LENGTH';
  for (const ch of code) if (!USCC_ALPHABET.includes(ch)) return 'CHARACTER';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'DIVISION';
  return usccCheckCharacter(code.slice(0, 17)) === code[17] ? null : 'CHECK_CHARACTER';
}

export const isValidUscc = (code: string): boolean => usccProblem(code) === null;
