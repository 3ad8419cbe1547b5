import type { HttpClient } from '../client/http-client.js';
import { jwtBearerBody, redeemIdJag } from '../client/token-requests.js';

/** What replaying already-redeemed ID-JAGs showed. */
export interface ReplayOutcome {
  sent: number;
  /** Replays the RAS accepted (must be 0). */
  accepted: number;
  statuses: Record<string, number>;
}

/**
 * Sends each ID-JAG again (ID-JAG §4.4.1 / EMA: single use; this project consumes the `jti` at the first
 * redemption). Every one of them already got a 200, so every replay must be refused.
 */
export async function replayRedeemed(
  http: HttpClient,
  tokenEndpoint: string,
  resource: string,
  assertions: readonly string[],
): Promise<ReplayOutcome> {
  const statuses: Record<string, number> = {};
  let accepted = 0;
  const queue = [...assertions];
  const worker = async (): Promise<void> => {
    for (let assertion = queue.pop(); assertion !== undefined; assertion = queue.pop()) {
      const outcome = await redeemIdJag(http, tokenEndpoint, jwtBearerBody({ assertion, resource }));
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      if (outcome.status === 200) accepted += 1;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { sent: assertions.length, accepted, statuses };
}

/** What racing two redemptions of the same fresh ID-JAG showed. */
export interface RaceOutcome {
  pairs: number;
  /** Pairs where exactly one of the two redemptions succeeded (must be all of them). */
  exactlyOnce: number;
}

/**
 * Redeems each fresh ID-JAG twice at the same time: consumption must be atomic (the profile's pitfall: a
 * read-then-write replay check lets two concurrent redemptions through), so exactly one of each pair succeeds.
 */
export async function raceRedemptions(
  http: HttpClient,
  tokenEndpoint: string,
  resource: string,
  assertions: readonly string[],
): Promise<RaceOutcome> {
  const results = await Promise.all(
    assertions.map(async (assertion) => {
      const body = jwtBearerBody({ assertion, resource });
      const pair = await Promise.all([redeemIdJag(http, tokenEndpoint, body), redeemIdJag(http, tokenEndpoint, body)]);
      return pair.filter((outcome) => outcome.status === 200).length === 1;
    }),
  );
  return { pairs: assertions.length, exactlyOnce: results.filter(Boolean).length };
}
