/**
 * Checks a ConfirmationData before rendering. The renderer prints strings verbatim, so this is
 * about what would make a wrong or unreadable legal document: missing required values, a
 * non-string (e.g. money passed as a JS number), an unparsable issuedAt, control characters, and
 * characters the font cannot print (a rare character in a party's name would otherwise show as
 * an empty box — better to refuse and let an operator fix it than to issue it once, wrongly).
 */
import { PdfRenderError } from '../../../pdf/errors';
import { unsupportedCharacters } from '../../../pdf/fonts';
import type { ConfirmationData, ConfirmationInstalment, ConfirmationStep } from './types.js';

/** Longest accepted value of one field (characters). */
export const MAX_FIELD_LENGTH = 2000;
/** Most workflow steps accepted (the page cap binds long before in practice). */
export const MAX_STEPS = 200;
/** Most instalments accepted: a first one and one a month for a year is 13. */
export const MAX_INSTALMENTS = 24;

const REQUIRED = [
  'confirmationNumber',
  'issuedAt',
  'sellerName',
  'buyerName',
  'fundName',
  'commitment',
  'paidIn',
  'unfunded',
  'tradingMethod',
  'price',
  'pctOfNav',
  'consideration',
  'verificationUrl',
] as const satisfies readonly (keyof ConfirmationData)[];

const OPTIONAL = [
  'projectNumber',
  'contractDate',
  'listingStartDate',
  'listingEndDate',
  'valuationResult',
  'paymentMethod',
  'sellerFee',
  'buyerFee',
  'reviewConclusion',
  'exchangeName',
  'auditHead',
] as const satisfies readonly (keyof ConfirmationData)[];

// Tabs and line breaks are allowed (normalised below); other C0/C1 controls are not.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

function checkText(field: string, value: unknown, required: boolean, problems: string[], chars: string[]): string {
  if (value === undefined || value === null) {
    if (required) problems.push(`${field}: required`);
    return '';
  }
  if (typeof value !== 'string') {
    problems.push(`${field}: must be a string (got ${typeof value})`);
    return '';
  }
  const text = value.replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
  if (required && text.trim() === '') problems.push(`${field}: must not be empty`);
  if (text.length > MAX_FIELD_LENGTH) problems.push(`${field}: longer than ${MAX_FIELD_LENGTH} characters`);
  if (CONTROL.test(text)) problems.push(`${field}: contains control characters`);
  chars.push(text);
  return text;
}

/** Returns a normalised copy (CRLF → LF, tab → space) or throws VALIDATION_FAILED listing every problem. */
export function validateConfirmationData(data: ConfirmationData): ConfirmationData {
  const problems: string[] = [];
  const texts: string[] = [];
  if (typeof data !== 'object' || data === null) {
    throw new PdfRenderError('VALIDATION_FAILED', 'confirmation data must be an object');
  }
  const input = data as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of REQUIRED) out[f] = checkText(f, input[f], true, problems, texts);
  for (const f of OPTIONAL) out[f] = checkText(f, input[f], false, problems, texts);

  const issued = typeof data.issuedAt === 'string' ? Date.parse(data.issuedAt) : NaN;
  if (typeof data.issuedAt === 'string' && data.issuedAt !== '' && Number.isNaN(issued)) {
    problems.push('issuedAt: not an ISO-8601 date-time');
  }

  const steps: ConfirmationStep[] = [];
  if (!Array.isArray(data.steps)) {
    problems.push('steps: must be an array');
  } else if (data.steps.length > MAX_STEPS) {
    problems.push(`steps: more than ${MAX_STEPS}`);
  } else {
    data.steps.forEach((s: unknown, i) => {
      const step = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
      steps.push({
        name: checkText(`steps[${i}].name`, step['name'], true, problems, texts),
        date: checkText(`steps[${i}].date`, step['date'], false, problems, texts),
        actor: checkText(`steps[${i}].actor`, step['actor'], false, problems, texts),
        result: checkText(`steps[${i}].result`, step['result'], false, problems, texts),
      });
    });
  }

  const instalments = checkInstalments(data.instalments, problems, texts);

  if (problems.length === 0) {
    const missing = unsupportedCharacters(texts.join('\n'));
    if (missing.length > 0) {
      const list = missing.map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
      problems.push(`characters the confirmation font cannot print: ${list.join(', ')}`);
    }
  }
  if (problems.length > 0) {
    throw new PdfRenderError('VALIDATION_FAILED', `invalid confirmation data: ${problems.join('; ')}`, problems);
  }
  return { ...(out as unknown as ConfirmationData), steps, ...(instalments ? { instalments } : {}) };
}

function checkInstalments(raw: unknown, problems: string[], texts: string[]): ConfirmationInstalment[] | null {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw) || raw.length > MAX_INSTALMENTS) {
    problems.push(`instalments: must be an array of at most ${MAX_INSTALMENTS}`);
    return null;
  }
  return raw.map((x: unknown, i) => {
    const row = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
    const field = (k: keyof ConfirmationInstalment, required: boolean) =>
      checkText(`instalments[${i}].${k}`, row[k], required, problems, texts);
    return {
      number: field('number', true),
      dueDate: field('dueDate', true),
      amount: field('amount', true),
      interest: field('interest', true),
      paid: field('paid', false),
    };
  });
}
