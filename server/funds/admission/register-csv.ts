/** A partner register sent as CSV (`uscc,commitment,paidIn`), read into rows numbered from the first data row. */
import { parse } from 'csv-parse/sync';
import { AppError } from '../../commands/errors';
import type { RegisterRow } from './partner-register';

const HEADER = ['uscc', 'commitment', 'paidIn'];

export function csvRowsOf(text: string): RegisterRow[] {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `the CSV cannot be read: ${err instanceof Error ? err.message : String(err)}`, {
      params: { problems: [{ row: 0, field: 'csv', reason: 'UNREADABLE' }] },
    });
  }
  const [header, ...data] = records;
  if (!header || header.join(',') !== HEADER.join(',')) {
    throw new AppError('VALIDATION_FAILED', `the CSV's first line must be the header ${HEADER.join(',')}`, {
      params: { problems: [{ row: 0, field: 'header', reason: 'BAD_HEADER' }] },
    });
  }
  return data.map((cells, i) => ({ row: i + 1, uscc: (cells[0] ?? '').toUpperCase(), commitment: cells[1] ?? '', paidIn: cells[2] ?? '' }));
}
