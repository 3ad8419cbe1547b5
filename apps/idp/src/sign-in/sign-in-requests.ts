import { type IdpContext, nowSeconds } from '../idp-context.js';
import type { SignInRequest, SignInRequirement, SignInTarget } from '../storage/sign-in-types.js';
import { generateOpaqueToken } from '../tokens/opaque-token.js';

/** How long a sign-in page stays usable (a person may leave it open a while). */
export const SIGN_IN_REQUEST_TTL_SECONDS = 1800;
// The purge of expired requests and challenges piggybacks on new requests, at most this often per storage.
const PURGE_INTERVAL_SECONDS = 60;
const lastPurge = new WeakMap<object, number>();

/** Records a pending sign-in for `target` and returns it; the sign-in pages then carry only its id. */
export function startSignInRequest(
  context: IdpContext,
  target: SignInTarget,
  requirement: SignInRequirement,
): SignInRequest {
  const now = nowSeconds(context);
  const request: SignInRequest = {
    id: generateOpaqueToken(),
    target,
    requirement,
    sessionId: null,
    createdAt: now,
    expiresAt: now + SIGN_IN_REQUEST_TTL_SECONDS,
  };
  context.storage.insertSignInRequest(request);
  const last = lastPurge.get(context.storage);
  if (last === undefined || now - last >= PURGE_INTERVAL_SECONDS) {
    lastPurge.set(context.storage, now);
    context.storage.purgeSignInRequests(now);
  }
  return request;
}

/** The pending sign-in a form or link names, unless it is unknown, answered or expired. */
export function findSignInRequest(context: IdpContext, id: string | undefined): SignInRequest | undefined {
  if (id === undefined || id === '' || id.length > 100) return undefined;
  return context.storage.findSignInRequest(id, nowSeconds(context));
}

/** The binding of the WebAuthn challenges issued for a sign-in request. */
export function signInChallengeBinding(request: SignInRequest): string {
  return `request:${request.id}`;
}
