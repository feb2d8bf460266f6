/**
 * The share pledge (份额质押) as a pure state machine: no I/O, no clock; time, ids and the facts the
 * database knows (the fund's terms, the pledgor's unencumbered units) come in as arguments.
 *
 *   request ─(fund needs the GP's consent)→ consent_pending ─gp_consent→ registration_pending
 *   request ─(no consent needed)──────────────────────────────────────→ registration_pending
 *   consent_pending ─gp_refuse{reason}→ refused
 *   consent_pending | registration_pending ─withdraw (pledgor)→ withdrawn
 *   registration_pending ─register{registrationRef} (operator)→ registered (the pledge takes effect)
 *   registered ─release{releaseRef} (operator, on the pledgee's release)→ released
 *
 * A pledge holds its units from the request (like a listing), so the same units cannot be sold,
 * listed or pledged again while it runs; `held` says whether they are held after a transition.
 * Refusals are values with stable codes, checked in this order: FORBIDDEN (who may act) →
 * INVALID_STATE (params.reason: the state) → VALIDATION_FAILED (the action's fields).
 */

export type PledgeState = 'consent_pending' | 'registration_pending' | 'registered' | 'released' | 'refused' | 'withdrawn';
export type PledgeActionName = 'request' | 'gp_consent' | 'gp_refuse' | 'register' | 'release' | 'withdraw';

export interface PledgeActor {
  readonly userId: string;
  readonly name: string;
  readonly orgId: string;
  readonly roles: readonly string[];
}

export interface PledgeHistoryEntry {
  readonly action: PledgeActionName;
  readonly by: { readonly userId: string; readonly name: string };
  readonly at: string;
  readonly reason?: string;
  readonly registrationRef?: string;
  readonly releaseRef?: string;
}

export interface Pledge {
  readonly id: string;
  readonly fundId: string;
  readonly pledgorOrgId: string;
  readonly pledgeeOrgId: string;
  /** Commitment pledged, whole yuan in whole lots. */
  readonly quantity: string;
  /** The debt the pledge secures, yuan with 2 decimals. */
  readonly securedAmount: string;
  readonly contractRef: string;
  readonly state: PledgeState;
  readonly registrationRef: string | null;
  readonly releaseRef: string | null;
  readonly history: readonly PledgeHistoryEntry[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type PledgeCommand =
  | { readonly action: 'gp_consent' }
  | { readonly action: 'gp_refuse'; readonly reason: string }
  | { readonly action: 'register'; readonly registrationRef: string }
  | { readonly action: 'release'; readonly releaseRef: string }
  | { readonly action: 'withdraw' };

export type PledgeRefusal = {
  readonly ok: false;
  readonly code: string;
  readonly detail: string;
  readonly params?: Record<string, string>;
};
export type PledgeResult = { readonly ok: true; readonly pledge: Pledge; readonly held: boolean } | PledgeRefusal;

/** States in which the pledge holds the pledgor's units (positions.pledged). */
export const HOLDING_STATES: ReadonlySet<PledgeState> = new Set<PledgeState>(['consent_pending', 'registration_pending', 'registered']);

const MAX_TEXT = 200;
const refuse = (code: string, detail: string, params?: Record<string, string>): PledgeRefusal => ({
  ok: false,
  code,
  detail,
  ...(params ? { params } : {}),
});

/** A reference or reason a person typed: 1–200 characters without control characters. */
export function textProblem(field: string, value: unknown): string | null {
  if (typeof value !== 'string' || value.trim().length === 0) return `${field} is required`;
  if (value.length > MAX_TEXT) return `${field} is longer than ${MAX_TEXT} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) return `${field} contains a control character`;
  return null;
}

export interface RequestInput {
  readonly id: string;
  readonly fundId: string;
  readonly pledgorOrgId: string;
  readonly pledgeeOrgId: string;
  readonly quantity: string;
  readonly securedAmount: string;
  readonly contractRef: string;
}

export interface RequestFacts {
  readonly actor: PledgeActor;
  readonly now: string;
  readonly pledgeAllowed: boolean;
  readonly pledgeNeedsConsent: boolean;
  /** The fund's lot, whole yuan as a bigint-safe decimal string. */
  readonly lotSize: string;
  /** The pledgor's unencumbered units (the one function that computes them), whole yuan. */
  readonly unencumbered: string;
  readonly pledgeeExists: boolean;
}

/** A whole-yuan decimal string → bigint (quantities are whole by the route's schema). */
const units = (s: string): bigint => BigInt(s.split('.')[0]!);

/**
 * A new pledge, checked in this order: PLEDGE_NOT_ALLOWED → QUANTITY_NOT_ON_LOT → the pledgee
 * (NOT_FOUND, VALIDATION_FAILED for oneself) → the contract reference → INSUFFICIENT_POSITION
 * (params {available, requested}).
 */
export function requestPledge(input: RequestInput, facts: RequestFacts): PledgeResult {
  if (!facts.pledgeAllowed)
    return refuse('PLEDGE_NOT_ALLOWED', `the partnership agreement of fund ${input.fundId} forbids pledging its shares`);
  const quantity = units(input.quantity);
  const lot = units(facts.lotSize);
  if (quantity <= 0n || quantity % lot !== 0n) return refuse('QUANTITY_NOT_ON_LOT', `a pledge is in whole lots of ${facts.lotSize}`);
  if (!facts.pledgeeExists) return refuse('NOT_FOUND', `pledgee organisation ${input.pledgeeOrgId} not found`);
  if (input.pledgeeOrgId === input.pledgorOrgId)
    return refuse('VALIDATION_FAILED', 'pledgeeOrgId: an organisation cannot pledge to itself');
  const refProblem = textProblem('contractRef', input.contractRef);
  if (refProblem) return refuse('VALIDATION_FAILED', refProblem);
  const available = units(facts.unencumbered);
  if (available < quantity) {
    return refuse('INSUFFICIENT_POSITION', `unencumbered commitment is ${available}, less than the ${quantity} pledged`, {
      available: String(available),
      requested: String(quantity),
    });
  }
  const pledge: Pledge = {
    ...input,
    state: facts.pledgeNeedsConsent ? 'consent_pending' : 'registration_pending',
    registrationRef: null,
    releaseRef: null,
    history: [{ action: 'request', by: { userId: facts.actor.userId, name: facts.actor.name }, at: facts.now }],
    createdAt: facts.now,
    updatedAt: facts.now,
  };
  return { ok: true, pledge, held: true };
}

/** The action's own fields, from the request body (VALIDATION_FAILED otherwise). */
export function parsePledgeCommand(body: unknown): { ok: true; command: PledgeCommand } | PledgeRefusal {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const extra = (allowed: string[]) => Object.keys(b).filter((k) => k !== 'action' && !allowed.includes(k));
  const only = (allowed: string[]): PledgeRefusal | null => {
    const unknown = extra(allowed);
    return unknown.length ? refuse('VALIDATION_FAILED', `unknown field(s) for ${String(b.action)}: ${unknown.join(', ')}`) : null;
  };
  const field = (name: string) => textProblem(name, b[name]);
  switch (b.action) {
    case 'gp_consent':
    case 'withdraw':
      return only([]) ?? { ok: true, command: { action: b.action } };
    case 'gp_refuse': {
      const p = only(['reason']) ?? (field('reason') ? refuse('VALIDATION_FAILED', field('reason')!) : null);
      return p ?? { ok: true, command: { action: 'gp_refuse', reason: String(b.reason) } };
    }
    case 'register': {
      const p = only(['registrationRef']) ?? (field('registrationRef') ? refuse('VALIDATION_FAILED', field('registrationRef')!) : null);
      return p ?? { ok: true, command: { action: 'register', registrationRef: String(b.registrationRef) } };
    }
    case 'release': {
      const p = only(['releaseRef']) ?? (field('releaseRef') ? refuse('VALIDATION_FAILED', field('releaseRef')!) : null);
      return p ?? { ok: true, command: { action: 'release', releaseRef: String(b.releaseRef) } };
    }
    default:
      return refuse('VALIDATION_FAILED', 'action must be one of gp_consent, gp_refuse, register, release, withdraw');
  }
}

export interface DecideFacts {
  readonly actor: PledgeActor;
  readonly now: string;
  /** The fund's manager organisation (who gives or refuses consent). */
  readonly fundGpOrgId: string;
}

interface Rule {
  readonly from: readonly PledgeState[];
  readonly to: PledgeState;
  readonly who: (p: Pledge, f: DecideFacts) => string | null;
}

const isOperator = (f: DecideFacts) => f.actor.roles.includes('operator');
const RULES: Record<PledgeCommand['action'], Rule> = {
  gp_consent: {
    from: ['consent_pending'],
    to: 'registration_pending',
    who: (_p, f) => (f.actor.roles.includes('gp') && f.actor.orgId === f.fundGpOrgId ? null : "only the fund's GP consents to a pledge"),
  },
  gp_refuse: {
    from: ['consent_pending'],
    to: 'refused',
    who: (_p, f) => (f.actor.roles.includes('gp') && f.actor.orgId === f.fundGpOrgId ? null : "only the fund's GP refuses a pledge"),
  },
  register: { from: ['registration_pending'], to: 'registered', who: (_p, f) => (isOperator(f) ? null : 'an operator registers a pledge') },
  release: { from: ['registered'], to: 'released', who: (_p, f) => (isOperator(f) ? null : "an operator records a pledge's release") },
  withdraw: {
    from: ['consent_pending', 'registration_pending'],
    to: 'withdrawn',
    who: (p, f) => (f.actor.orgId === p.pledgorOrgId && f.actor.roles.includes('seller') ? null : 'only the pledgor withdraws its pledge'),
  },
};

/** One transition; `held` is whether the pledge still holds its units afterwards. */
export function decidePledge(p: Pledge, c: PledgeCommand, f: DecideFacts): PledgeResult {
  const rule = RULES[c.action];
  const notAllowed = rule.who(p, f);
  if (notAllowed) return refuse('FORBIDDEN', notAllowed);
  if (!rule.from.includes(p.state)) {
    return refuse('INVALID_STATE', `a pledge in state ${p.state} cannot take ${c.action}`, { reason: `pledge_${p.state}`, state: p.state });
  }
  const entry: PledgeHistoryEntry = {
    action: c.action,
    by: { userId: f.actor.userId, name: f.actor.name },
    at: f.now,
    ...(c.action === 'gp_refuse' ? { reason: c.reason } : {}),
    ...(c.action === 'register' ? { registrationRef: c.registrationRef } : {}),
    ...(c.action === 'release' ? { releaseRef: c.releaseRef } : {}),
  };
  const pledge: Pledge = {
    ...p,
    state: rule.to,
    history: [...p.history, entry],
    updatedAt: f.now,
    ...(c.action === 'register' ? { registrationRef: c.registrationRef } : {}),
    ...(c.action === 'release' ? { releaseRef: c.releaseRef } : {}),
  };
  return { ok: true, pledge, held: HOLDING_STATES.has(rule.to) };
}
