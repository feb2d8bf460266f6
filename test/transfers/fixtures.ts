/**
 * Shared fixtures for the transfer workflow specifications: a calendar, the cast of users, trades from
 * both venues, and helpers that drive a transfer and fail loudly on a refusal.
 */
import { expect } from 'chai';
import { WorkingDayCalendar } from '../../shared/calendar';
import {
  decide,
  defaultTerms,
  openTransfer,
  type Actor,
  type DecideContext,
  type DecideResult,
  type EligibilityFacts,
  type OpenTransferInput,
  type Transfer,
  type TransferCommand,
  type TransferErrorCode,
  type TransferEvent,
  type TransferTerms,
} from '../../server/transfers/domain';

export const calendar = new WorkingDayCalendar();

const user = (userId: string, orgId: string, ...roles: Actor['roles'][number][]): Actor => ({ userId, orgId, roles });

export const USERS = {
  seller: user('u-lp', 'org-seller', 'lp'),
  soeSeller: user('u-lp-soe', 'org-soe', 'lp'),
  buyer: user('u-buyer1', 'org-buyer1', 'buyer'),
  otherBuyer: user('u-buyer2', 'org-buyer2', 'buyer'),
  gp: user('u-gp', 'org-gp', 'gp'),
  otherGp: user('u-gp-x', 'org-gp-x', 'gp'),
  operator1: user('u-op1', 'org-exchange', 'operator'),
  operator2: user('u-op2', 'org-exchange', 'operator'),
  admin: user('u-admin', 'org-exchange', 'admin'),
  lpA: user('u-lp-a', 'org-lp-a', 'lp'),
  lpB: user('u-lp-b', 'org-lp-b', 'lp'),
  lpC: user('u-lp-c', 'org-lp-c', 'lp'),
  outsiderLp: user('u-lp-z', 'org-lp-z', 'lp'),
  /** Users of a ROFR holder's organisation without the 'lp' role: a buyer, the manager's role, an administrator. */
  lpABuyer: user('u-lp-a-2', 'org-lp-a', 'buyer'),
  lpAGp: user('u-lp-a-3', 'org-lp-a', 'gp'),
  lpAAdmin: user('u-lp-a-4', 'org-lp-a', 'admin'),
} as const;

/** ROFR holders: A holds 30M, B 10M, C 20M of commitment. */
export const HOLDERS = [
  { orgId: 'org-lp-a', commitment: '30000000', stateOwned: false },
  { orgId: 'org-lp-b', commitment: '10000000', stateOwned: false },
  { orgId: 'org-lp-c', commitment: '20000000', stateOwned: true },
];

/** Monday 2 March 2026, 10:00 Beijing. */
export const T0 = '2026-03-02T02:00:00.000Z';

/** An instant at hh:mm Beijing on a date. */
export const bj = (date: string, hhmm = '10:00'): string => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), h - 8, m);
  return new Date(ms).toISOString();
};

/** A book trade: 5 lots of 1,000,000 at 87.50% of a NAV of 1.2 per yuan of commitment → RMB 5,250,000.00. */
export function bookTrade(terms: Partial<TransferTerms> = {}, over: Partial<OpenTransferInput> = {}): OpenTransferInput {
  return {
    id: 'tr-1',
    tradeId: 'trade-1',
    venue: 'book',
    listingId: null,
    fundId: 'fund-1',
    seller: { orgId: 'org-seller', stateOwned: false },
    buyer: { orgId: 'org-buyer1', stateOwned: false },
    gpOrgId: 'org-gp',
    lotSize: '1000000',
    quantity: '5000000',
    pricing: { basis: 'pct_of_nav', pricePct: '87.50', navPerCommitment: '1.2' },
    tradeExecutedAt: T0,
    terms: defaultTerms({ rofrEnabled: false, gpConsentRequired: true, ...terms }),
    rofrHolders: HOLDERS,
    ...over,
  };
}

/** A listing award to buyer1 by a state-owned seller: RMB 4,800,000.00 for 5 lots, deposit RMB 1,000,000.00 held. */
export function listingAward(terms: Partial<TransferTerms> = {}, over: Partial<OpenTransferInput> = {}): OpenTransferInput {
  return bookTrade(
    { gpConsentRequired: false, ...terms },
    {
      id: 'tr-2',
      tradeId: 'trade-2',
      venue: 'listing',
      listingId: 'listing-7',
      seller: { orgId: 'org-soe', stateOwned: true },
      pricing: { basis: 'total_amount', amount: '4800000.00', navPerCommitment: '1.2' },
      depositHeld: '1000000.00',
      ...over,
    },
  );
}

export const open = (input: OpenTransferInput, now = T0): Transfer => openTransfer(input, { now, calendar }).transfer;

/** A listing award whose contract the seller and the buyer signed at once (contract-signing.test.ts covers signing itself). */
export function openSigned(input: OpenTransferInput, now = T0): Transfer {
  let t = open(input, now);
  const parties: Actor[] = [
    { userId: 'u-signs-for-seller', orgId: t.sellerOrgId, roles: ['lp'] },
    { userId: 'u-signs-for-buyer', orgId: t.buyerOrgId, roles: ['buyer'] },
  ];
  for (const u of parties) {
    const r = decide(t, { action: 'sign' }, { actor: u, now, calendar });
    if (!r.ok) throw new Error(`${u.userId} could not sign: ${r.code} ${r.detail}`);
    t = r.transfer;
  }
  return t;
}

/** Eligibility facts under which every check passes. */
export const eligible = (t: Transfer): EligibilityFacts => ({
  buyers: t.allocations.map((a) => ({ orgId: a.buyerOrgId, qualified: true, lastDisposedOn: null, heldBefore: '0' })),
  minHolding: '1000000',
  investorCountAfter: 12,
  investorCap: 50,
  sellerLastAcquiredOn: null,
});

export const SELLER_POSITION = { commitment: '10000000', paidIn: '6000000.00' };

export function attempt(
  t: Transfer,
  command: TransferCommand,
  actor: Actor | null,
  now: string,
  extra: Partial<DecideContext> = {},
): DecideResult {
  const ctx: DecideContext = {
    actor,
    now,
    calendar,
    eligibility: command.action === 'review' ? eligible(t) : undefined,
    sellerPosition: command.action === 'record_registration' ? SELLER_POSITION : undefined,
    ...extra,
  };
  return decide(t, command, ctx);
}

/** Applies a command that must be accepted; returns the new transfer and its events. */
export function act(t: Transfer, command: TransferCommand, actor: Actor | null, now: string, extra: Partial<DecideContext> = {}) {
  const r = attempt(t, command, actor, now, extra);
  if (!r.ok) expect.fail(`${command.action} refused: ${r.code} ${r.detail}`);
  return { transfer: r.transfer, events: r.events };
}

export function expectRefused(r: DecideResult, code: TransferErrorCode): string {
  if (r.ok) return expect.fail(`expected ${code}, but the command was accepted (state ${r.transfer.state})`);
  expect(r.code, r.detail).to.equal(code);
  return r.detail;
}

export const ofType = <K extends TransferEvent['type']>(events: readonly TransferEvent[], type: K) =>
  events.filter((e): e is Extract<TransferEvent, { type: K }> => e.type === type);

export const stepState = (t: Transfer) => Object.fromEntries(t.steps.map((s) => [s.name, s.state]));

/** Drives a transfer through every operator step from review to completion at the given instants. */
export function reviewApprovePay(t: Transfer, times: { review: string; approve: string; pay: string }): Transfer {
  let cur = act(t, { action: 'review' }, USERS.operator1, times.review).transfer;
  cur = act(cur, { action: 'approve' }, USERS.operator2, times.approve).transfer;
  for (const leg of cur.allocations) {
    cur = act(
      cur,
      { action: 'confirm_payment', bankRef: `BANK-${leg.buyerOrgId}`, buyerOrgId: leg.buyerOrgId },
      USERS.operator1,
      times.pay,
    ).transfer;
  }
  return cur;
}

/** Recursively freezes a value, so that any mutation inside the domain throws (strict mode) or is caught by a snapshot. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
