import type { OAuthError } from '@ema/oauth-server';

// Errors a grant handler has already audited with full detail; the token endpoint's generic refusal hook skips
// them, so each refusal is recorded exactly once.
const audited = new WeakSet<OAuthError>();

/** Marks a refusal as audited by the grant handler and returns it (for `throw markAudited(error)`). */
export function markAudited<E extends OAuthError>(error: E): E {
  audited.add(error);
  return error;
}

/** Whether a grant handler already audited this refusal. */
export function isAudited(error: OAuthError): boolean {
  return audited.has(error);
}
