/**
 * The winning bid: the highest amount; a tie goes to the earlier bid (then to the earlier entry).
 */
import { yuan } from './support';
import type { Bid } from './types';

export function pickWinner(bids: readonly Bid[]): (Bid & { amount: string }) | null {
  let best: (Bid & { amount: string }) | null = null;
  for (const bid of bids) {
    if (bid.amount === null) continue;
    if (best === null || yuan(bid.amount).gt(yuan(best.amount)) || (yuan(bid.amount).eq(yuan(best.amount)) && bid.at < best.at)) {
      best = bid as Bid & { amount: string };
    }
  }
  return best;
}
