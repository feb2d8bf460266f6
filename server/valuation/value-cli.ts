/**
 * `npm run value -- model.json [--json]`: values a fund model file {model, share, settings?} with the
 * same schema as POST /api/valuations and prints the report: a readable summary with the content
 * hash, or with --json the whole report as JSON. Invalid input exits with status 2 and a message
 * naming the problem; nothing is written anywhere.
 */
import { readFileSync } from 'node:fs';
import { buildValuationReport, type ValuationReport } from '../../shared/valuation/report';
import { ValuationError } from '../../shared/valuation/numeric';
import { parseValuationRequest } from './model-schema';
import { reportPricing } from './pricing';
import { SHA256 } from './digest';

const USAGE = 'usage: npm run value -- <model.json> [--json]   (a JSON file {model, share, settings?}; decimals as strings)';

class InputError extends Error {}

function load(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

export function summary(r: ValuationReport): string {
  const p = reportPricing(r);
  const lines = [
    `基金份额估值报告 Fund share valuation report — ${r.fundName} (${r.fundId})`,
    `valuation date ${r.valuationDate}; NAV reference date ${r.inputs.model.navReport.referenceDate}; ${r.holdings.length} holdings`,
    `share: commitment ${r.share.commitment}, paid in ${r.share.paidIn}, reference NAV ${r.share.referenceNav}`,
    `fund NAV: reported ${r.fundNav.reported}, adjusted ${r.fundNav.adjusted} (${r.fundNav.basis}` +
      `), bottom-up ${r.fundNav.bottomUp}, reconciliation difference ${r.fundNav.reconciliationDifference}`,
    `fair value low / base / high: ${r.share.fairValue.low} / ${r.share.fairValue.base} / ${r.share.fairValue.high}` +
      (` (${r.share.fairValuePctOfNav.low ?? '—'}% / ${r.share.fairValuePctOfNav.base ?? '—'}` +
        `% / ${r.share.fairValuePctOfNav.high ?? '—'}% of NAV)`),
    'IRR grid:',
    ...r.irrGrid.map(
      (g) =>
        `  ${g.irr.padEnd(6)} price ${g.price.padStart(18)}  ${(g.pctOfNav ?? '—').padStart(7)}% of NAV  discount ${g.discountPct ?? '—'}%`,
    ),
    `sensitivity (% of NAV; rows NAV change ${r.sensitivity.navChanges.join(', ')}; columns IRR ${r.sensitivity.irrs.join(', ')}):`,
    ...r.sensitivity.pctOfNav.map(
      (row, i) => `  ${r.sensitivity.navChanges[i]!.padStart(6)}  ${row.map((c) => (c ?? '—').padStart(8)).join('')}`,
    ),
    'holdings:',
    ...r.holdings.map(
      (h) => `  ${h.id.padEnd(10)} ${h.method.padEnd(16)} discount ${h.discount}  fair value ${h.fairValue.padStart(18)}  ${h.name}`,
    ),
    `model price (IRR ${p.modelIrr}): ${p.modelPct ?? '—'}%; suggested ask ${p.suggestedAskPct ?? '—'}` +
      `% = ${p.suggestedAskPrice ?? '—'} (${p.suggestedAskBasis})`,
    ...(r.stateOwnedFloor
      ? [
          r.stateOwnedFloor.ok
            ? `state-owned: appraisal ${r.stateOwnedFloor.appraisalValue} (the least ` +
              `first ask), floor ${r.stateOwnedFloor.floor} (the least reprice; ratio ${r.stateOwnedFloor.ratio}` +
              `), valid through ${r.stateOwnedFloor.validThrough}`
            : `state-owned floor: ${r.stateOwnedFloor.code}: ${r.stateOwnedFloor.detail}`,
        ]
      : []),
    ...r.warnings.map((w) => `warning: ${w}`),
    `content hash ${r.contentHash.algorithm}: ${r.contentHash.hex}`,
  ];
  return lines.join('\n') + '\n';
}

export function main(argv: readonly string[]): number {
  const args = argv.filter((a) => a !== '--json');
  const asJson = argv.includes('--json');
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const parsed = parseValuationRequest(load(args[0]!));
    if (!parsed.ok) {
      throw new InputError(
        `invalid valuation input:\n${parsed.issues
          .slice(0, 20)
          .map((i) => `  ${i.path || '(root)'}: ${i.message}`)
          .join('\n')}`,
      );
    }
    const report = buildValuationReport(parsed.value, SHA256);
    process.stdout.write(asJson ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
    return 0;
  } catch (e) {
    if (e instanceof InputError || e instanceof ValuationError) {
      process.stderr.write(`value: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
