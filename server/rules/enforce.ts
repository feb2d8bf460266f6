/** The rulebook's refusal as the command layer's error: the same code, detail and figures. */
import type { Verdict } from '../../shared/rules';
import { AppError } from '../commands/errors';

export function enforce(verdict: Verdict): void {
  if (!verdict.ok) throw new AppError(verdict.code, verdict.detail, { ...verdict.params });
}
