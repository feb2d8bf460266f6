/**
 * An in-kind distribution proposal and its life, pure: no I/O, no clock (time and ids are arguments).
 *
 *   propose (the fund's GP) → proposed ─approve (operator)→ approved
 *                                      └reject {reason} (operator)→ rejected
 *
 * A proposal is refused, in this order, with 422 INKIND_NOT_ALLOWED and the exclusion in
 * params.reason (domain.md "Also in scope"):
 *   fund_is_controlling_or_largest_shareholder   the fund is the company's controlling or largest shareholder
 *   shares_locked_up                             the shares are locked up (限售)
 *   shares_pledged_or_frozen                     the shares are pledged or frozen
 * Recipients who may not receive shares are not a refusal: they are paid in cash (ineligibleOrgIds).
 */
import { Dec } from '../../../shared/decimal';
import { allocateInKind, distributedValue, type Allocation, type Holder } from './allocation';

export type DistributionState = 'proposed' | 'approved' | 'rejected';

export interface Security {
  readonly code: string;
  readonly name: string;
  readonly market: string;
}
export interface InKindFacts {
  readonly fundIsControllingOrLargestShareholder: boolean;
  readonly lockedUp: boolean;
  readonly pledgedOrFrozen: boolean;
}

export interface DistributionHistoryEntry {
  readonly action: 'propose' | 'approve' | 'reject';
  readonly by: { readonly userId: string; readonly name: string };
  readonly at: string;
  readonly reason?: string;
}

export interface NamedAllocation extends Allocation {
  readonly name: string;
}

export interface Distribution {
  readonly id: string;
  readonly fundId: string;
  readonly state: DistributionState;
  readonly security: Security;
  readonly shares: string;
  readonly referencePrice: string;
  readonly recordDate: string;
  readonly facts: InKindFacts;
  readonly ineligibleOrgIds: readonly string[];
  readonly allocations: readonly NamedAllocation[];
  readonly totals: {
    readonly shares: string;
    readonly sharesInLieu: string;
    readonly cashInLieu: string;
    readonly distributedValue: string;
  };
  readonly history: readonly DistributionHistoryEntry[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Proposal {
  readonly security: Security;
  readonly shares: string;
  readonly referencePrice: string;
  readonly recordDate: string;
  readonly facts: InKindFacts;
  readonly ineligibleOrgIds: readonly string[];
}

export interface DistributionActor {
  readonly userId: string;
  readonly name: string;
  readonly roles: readonly string[];
}

export type DistributionRefusal = {
  readonly ok: false;
  readonly code: string;
  readonly detail: string;
  readonly params?: Record<string, string>;
};
export type DistributionResult = { readonly ok: true; readonly distribution: Distribution } | DistributionRefusal;

const refuse = (code: string, detail: string, params?: Record<string, string>): DistributionRefusal => ({
  ok: false,
  code,
  detail,
  ...(params ? { params } : {}),
});

/** The exclusions of domain.md, in the order they are checked, with their params.reason. */
export const EXCLUSIONS: readonly { readonly fact: keyof InKindFacts; readonly reason: string; readonly detail: string }[] = [
  {
    fact: 'fundIsControllingOrLargestShareholder',
    reason: 'fund_is_controlling_or_largest_shareholder',
    detail: "the fund is the company's controlling or largest shareholder",
  },
  { fact: 'lockedUp', reason: 'shares_locked_up', detail: 'the shares are locked up' },
  { fact: 'pledgedOrFrozen', reason: 'shares_pledged_or_frozen', detail: 'the shares are pledged or frozen' },
];

export interface ProposeFacts {
  readonly id: string;
  readonly fundId: string;
  readonly now: string;
  /** Today's Beijing date: the record date may not be later. */
  readonly today: string;
  readonly actor: DistributionActor;
  /** The fund's LPs with their paid-in capital at the record date, and their names. */
  readonly holders: readonly (Holder & { readonly name: string })[];
}

export function propose(p: Proposal, f: ProposeFacts): DistributionResult {
  for (const x of EXCLUSIONS) {
    if (p.facts[x.fact]) return refuse('INKIND_NOT_ALLOWED', `no in-kind distribution: ${x.detail}`, { reason: x.reason });
  }
  if (p.recordDate > f.today)
    return refuse('VALIDATION_FAILED', `recordDate ${p.recordDate} is in the future (today is ${f.today} in Beijing)`);
  const holding = f.holders.filter((h) => !/^0+(\.0+)?$/.test(h.paidIn));
  if (holding.length === 0) return refuse('VALIDATION_FAILED', `the fund had no paid-in capital on ${p.recordDate}`);
  const known = new Set(holding.map((h) => h.orgId));
  const strangers = p.ineligibleOrgIds.filter((o) => !known.has(o));
  if (strangers.length)
    return refuse('VALIDATION_FAILED', `ineligibleOrgIds: not LPs of the fund on the record date: ${strangers.join(', ')}`);
  if (new Set(p.ineligibleOrgIds).size !== p.ineligibleOrgIds.length)
    return refuse('VALIDATION_FAILED', 'ineligibleOrgIds: an organisation is listed twice');
  const names = new Map(holding.map((h) => [h.orgId, h.name]));
  const allocations = allocateInKind({
    shares: p.shares,
    referencePrice: p.referencePrice,
    holders: holding,
    ineligibleOrgIds: new Set(p.ineligibleOrgIds),
  }).map((a) => ({ ...a, name: names.get(a.orgId)! }));
  const add = (pick: (a: Allocation) => string, dp: number) => allocations.reduce((s, a) => s.plus(pick(a)), new Dec('0')).toFixed(dp);
  const distribution: Distribution = {
    id: f.id,
    fundId: f.fundId,
    state: 'proposed',
    ...p,
    ineligibleOrgIds: [...p.ineligibleOrgIds],
    allocations,
    totals: {
      shares: add((a) => a.shares, 0),
      sharesInLieu: add((a) => a.sharesInLieu, 8),
      cashInLieu: add((a) => a.cashInLieu, 2),
      distributedValue: distributedValue(allocations, p.referencePrice),
    },
    history: [{ action: 'propose', by: { userId: f.actor.userId, name: f.actor.name }, at: f.now }],
    createdAt: f.now,
    updatedAt: f.now,
  };
  return { ok: true, distribution };
}

export type DistributionCommand = { readonly action: 'approve' } | { readonly action: 'reject'; readonly reason: string };

/** approve / reject by an operator, from `proposed` only (INVALID_STATE with params.reason otherwise). */
export function decideDistribution(d: Distribution, c: DistributionCommand, actor: DistributionActor, now: string): DistributionResult {
  if (!actor.roles.includes('operator')) return refuse('FORBIDDEN', 'an operator approves or rejects an in-kind distribution');
  if (d.state !== 'proposed')
    return refuse('INVALID_STATE', `a distribution in state ${d.state} cannot take ${c.action}`, {
      reason: `distribution_${d.state}`,
      state: d.state,
    });
  const entry: DistributionHistoryEntry = {
    action: c.action,
    by: { userId: actor.userId, name: actor.name },
    at: now,
    ...(c.action === 'reject' ? { reason: c.reason } : {}),
  };
  return {
    ok: true,
    distribution: { ...d, state: c.action === 'approve' ? 'approved' : 'rejected', history: [...d.history, entry], updatedAt: now },
  };
}
