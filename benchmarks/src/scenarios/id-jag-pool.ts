import type { DpopProofMaker } from '../client/dpop-proof.js';
import { createHttpClient } from '../client/http-client.js';
import { exchangeForIdJag } from '../client/token-requests.js';
import { runWorkers } from '../load/worker-load.js';
import type { BenchContext } from './context.js';

/** Fresh ID-JAGs minted by the IdP's real token exchange, handed out once each. */
export interface IdJagPool {
  /** The next `count` unused ID-JAGs; throws when fewer are left (the pool is sized for its window). */
  take(count: number): string[];
  /** How long minting took, for the report's notes. */
  readonly mintSeconds: number;
}

const MINT_WORKERS = 16;

/**
 * Mints `count` ID-JAGs through the IdP's real token exchange before a measured window (never during one: the IdP
 * shares the cores with the RAS). Each is unique (its own `jti`), so single use holds for every redemption.
 */
/** With `dpop`, every exchange carries a proof by its key, so every ID-JAG is bound to it (`cnf.jkt`). */
export async function mintIdJagPool(context: BenchContext, count: number, dpop?: DpopProofMaker): Promise<IdJagPool> {
  const http = createHttpClient({ maxSockets: MINT_WORKERS });
  const tokens: string[] = [];
  const failures: string[] = [];
  try {
    const result = await runWorkers({
      workers: MINT_WORKERS,
      amount: count,
      iteration: async () => {
        const outcome = await exchangeForIdJag(
          http,
          context.inputs.endpoints.idpTokenEndpoint,
          context.inputs.exchangeBody,
          dpop === undefined ? {} : { dpop: dpop.proof('POST', context.inputs.endpoints.idpTokenEndpoint) },
        );
        if (outcome.token !== undefined) tokens.push(outcome.token);
        else if (failures.length < 3) failures.push(`${outcome.status} ${outcome.body.slice(0, 200)}`);
        return { ok: outcome.token !== undefined, status: outcome.status };
      },
    });
    if (tokens.length < count) {
      throw new Error(`minting ID-JAGs: only ${tokens.length} of ${count} succeeded: ${failures.join(' | ')}`);
    }
    let next = 0;
    return {
      take: (count) => {
        if (next + count > tokens.length) throw new Error(`ID-JAG pool: ${count} wanted, ${tokens.length - next} left`);
        next += count;
        return tokens.slice(next - count, next);
      },
      mintSeconds: result.durationSeconds,
    };
  } finally {
    http.close();
  }
}
