import type { OAuthError } from '../errors/oauth-error.js';

// Refusals a grant handler has already written to the audit log with their precise reason. The token endpoint's
// refusal hook is not called for them, so each refusal is recorded exactly once, with the most precise reason.
const audited = new WeakSet<OAuthError>();

/**
 * Marks a refusal as already audited by the grant handler and returns it (`throw markAudited(error)`): the token
 * endpoint then answers it without calling its `onRefusal` hook.
 */
export function markAudited<E extends OAuthError>(error: E): E {
  audited.add(error);
  return error;
}

/** Whether a grant handler already audited this refusal ({@link markAudited}). */
export function isAudited(error: OAuthError): boolean {
  return audited.has(error);
}
