import { ServerError } from '@ema/oauth-server';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import type { IdpStorage } from '../storage/idp-storage.js';

// A record is kept until its token can no longer verify: exp plus the verifier's clock tolerance (30 s, the
// profile's default), with margin. Purging earlier would turn a still-verifiable token into an unknown one.
const PURGE_MARGIN_SECONDS = 120;
// The purge is opportunistic (piggybacks on issuance, no timer), and runs at most this often per storage.
const PURGE_INTERVAL_SECONDS = 60;

const lastPurge = new WeakMap<IdpStorage, number>();

/**
 * Records an ID token about to be issued (its `jti`, grant and expiry), so that revoking the grant (RFC 6749
 * §4.1.2, RFC 9700 §4.14.2) or disabling the user also revokes it as a token-exchange subject token. Must run
 * before the token is handed out. Now and then deletes records that expired long enough ago.
 */
export function recordIssuedIdToken(
  context: IdpContext,
  token: { jti: string; grantId: string; expiresAt: number },
): void {
  const { storage } = context;
  const now = nowSeconds(context);
  if (!storage.insertIdToken(token, now)) throw new ServerError('the grant of an ID token vanished');
  const last = lastPurge.get(storage);
  if (last === undefined || now - last >= PURGE_INTERVAL_SECONDS) {
    lastPurge.set(storage, now);
    storage.purgeIdTokens(now - PURGE_MARGIN_SECONDS);
  }
}
