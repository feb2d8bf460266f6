import { expect } from 'chai';
import {
  ACTION_STATES,
  USER_ACTIONS,
  availableActions,
  decide,
  type Actor,
  type Transfer,
  type TransferCommand,
  type TransferState,
  type UserAction,
} from '../../server/transfers/domain';
import { USERS, act, attempt, bj, bookTrade, calendar, expectRefused, open } from './fixtures';

/** One transfer in every state, from a fund with ROFR and GP consent. */
function transfersInEveryState(): Record<TransferState, Transfer> {
  const rofr = open(bookTrade({ rofrEnabled: true }));
  let gp = act(rofr, { action: 'rofr_waive' }, USERS.lpA, bj('2026-03-03')).transfer;
  gp = act(gp, { action: 'rofr_waive' }, USERS.lpB, bj('2026-03-03')).transfer;
  gp = act(gp, { action: 'rofr_waive' }, USERS.lpC, bj('2026-03-03')).transfer;
  const review = act(gp, { action: 'gp_consent' }, USERS.gp, bj('2026-03-04')).transfer;
  const approval = act(review, { action: 'review' }, USERS.operator1, bj('2026-03-04')).transfer;
  const payment = act(approval, { action: 'approve' }, USERS.operator2, bj('2026-03-05')).transfer;
  const registration = act(payment, { action: 'confirm_payment', bankRef: 'B' }, USERS.operator1, bj('2026-03-06')).transfer;
  return {
    rofr_pending: rofr,
    gp_consent_pending: gp,
    review_pending: review,
    approval_pending: approval,
    payment_pending: payment,
    registration_pending: registration,
    completed: act(registration, { action: 'record_registration', registrationRef: 'R' }, USERS.operator2, bj('2026-03-06')).transfer,
    refused: act(gp, { action: 'gp_refuse', reason: 'no' }, USERS.gp, bj('2026-03-04')).transfer,
    rejected: act(review, { action: 'reject', reason: 'no' }, USERS.operator1, bj('2026-03-04')).transfer,
    failed: act(payment, { action: 'tick' }, null, bj('2026-03-13')).transfer,
  };
}

/**
 * A well-formed command for each action, and a user entitled to send it (sign and choose_payment, a listing
 * award's: contract-signing.test.ts, instalments.test.ts).
 */
type BookAction = Exclude<UserAction, 'sign' | 'choose_payment'>;
const VALID: Record<BookAction, { command: TransferCommand; actor: Actor }> = {
  rofr_waive: { command: { action: 'rofr_waive' }, actor: USERS.lpB },
  rofr_exercise: { command: { action: 'rofr_exercise' }, actor: USERS.lpB },
  gp_consent: { command: { action: 'gp_consent' }, actor: USERS.gp },
  gp_refuse: { command: { action: 'gp_refuse', reason: 'conflict of interest' }, actor: USERS.gp },
  review: { command: { action: 'review' }, actor: USERS.operator2 },
  approve: { command: { action: 'approve' }, actor: USERS.operator2 },
  reject: { command: { action: 'reject', reason: 'incomplete file' }, actor: USERS.operator2 },
  confirm_payment: { command: { action: 'confirm_payment', bankRef: 'ICBC-1' }, actor: USERS.operator2 },
  record_registration: { command: { action: 'record_registration', registrationRef: 'SAMR-1' }, actor: USERS.operator2 },
};

const WRONG_ACTORS: Record<'rofr' | 'gp' | 'operator', (Actor | null)[]> = {
  rofr: [USERS.seller, USERS.buyer, USERS.gp, USERS.operator1, USERS.admin, USERS.outsiderLp, USERS.lpAAdmin, null],
  gp: [USERS.seller, USERS.buyer, USERS.otherGp, USERS.operator1, USERS.admin, USERS.lpA, null],
  operator: [USERS.seller, USERS.buyer, USERS.gp, USERS.admin, USERS.lpA, null],
};
const family = (action: string): keyof typeof WRONG_ACTORS =>
  action.startsWith('rofr') ? 'rofr' : action.startsWith('gp') ? 'gp' : 'operator';

describe('who may act, and when', () => {
  const samples = transfersInEveryState();
  const now = bj('2026-03-06', '11:00');

  it('built one sample transfer in every state', () => {
    for (const [state, t] of Object.entries(samples)) expect(t.state, state).to.equal(state);
  });

  for (const action of USER_ACTIONS.filter((a): a is BookAction => a !== 'sign' && a !== 'choose_payment')) {
    it(`${action} by a wrong actor is FORBIDDEN, in the state where it applies and in every other`, () => {
      for (const t of Object.values(samples)) {
        for (const actor of WRONG_ACTORS[family(action)]) {
          const r = attempt(t, VALID[action].command, actor, now);
          expectRefused(r, 'FORBIDDEN');
        }
      }
    });

    it(`${action} by the right actor is INVALID_STATE outside ${ACTION_STATES[action].join(', ')}, and accepted inside`, () => {
      for (const [state, t] of Object.entries(samples)) {
        const r = attempt(t, VALID[action].command, VALID[action].actor, now);
        if (ACTION_STATES[action].includes(state as TransferState))
          expect(r.ok, `${action} in ${state}: ${r.ok ? '' : r.detail}`).to.equal(true);
        else expectRefused(r, 'INVALID_STATE');
      }
    });
  }

  it("tick is the exchange's alone: any user sending it is FORBIDDEN", () => {
    for (const actor of [USERS.operator1, USERS.admin, USERS.seller])
      expectRefused(attempt(samples.payment_pending, { action: 'tick' }, actor, now), 'FORBIDDEN');
    expect(attempt(samples.completed, { action: 'tick' }, null, bj('2027-01-01'))).to.deep.include({ ok: true, events: [] });
  });

  it('an unknown action is VALIDATION_FAILED', () => {
    const r = decide(samples.review_pending, { action: 'toString' } as unknown as TransferCommand, {
      actor: USERS.operator1,
      now,
      calendar,
    });
    expectRefused(r, 'VALIDATION_FAILED');
  });

  it("lists the actions each user can take now, leaving out the reviewer's own approval", () => {
    expect(availableActions(samples.approval_pending, USERS.operator1)).to.deep.equal(['reject']);
    expect(availableActions(samples.approval_pending, USERS.operator2)).to.deep.equal(['approve', 'reject']);
    expect(availableActions(samples.approval_pending, USERS.gp)).to.deep.equal([]);
    expect(availableActions(samples.gp_consent_pending, USERS.gp)).to.deep.equal(['gp_consent', 'gp_refuse']);
    expect(availableActions(samples.rofr_pending, USERS.lpC)).to.deep.equal(['rofr_waive', 'rofr_exercise']);
    expect(availableActions(samples.rofr_pending, USERS.lpABuyer)).to.deep.equal(['rofr_waive', 'rofr_exercise']);
    expect(availableActions(samples.rofr_pending, USERS.lpAAdmin)).to.deep.equal([]);
    expect(availableActions(samples.completed, USERS.operator1)).to.deep.equal([]);
  });
});
