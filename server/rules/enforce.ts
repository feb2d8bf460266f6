/**
 * The rulebook's refusal as the command layer's error: the same code, detail and figures (its `params`, which the message catalogue
 * prints).
 */
import type { Verdict } from '../../shared/rules';
import { refusal } from '../i18n/refusal';

export function enforce(verdict: Verdict): void {
  if (!verdict.ok) throw refusal(verdict.code, verdict.detail, verdict.params);
}
