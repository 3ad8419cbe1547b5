import type { IdpContext } from '../idp-context.js';
import { type AdminActor, auditAdminChange } from './admin-audit.js';

/**
 * Rotates the IdP's signing key: new tokens are signed with a fresh key at once; the retired public key stays in
 * the JWKS until every token it signed has expired (the KeyStore's retention), so nothing in flight breaks.
 */
export async function rotateSigningKey(
  context: IdpContext,
  actor: AdminActor,
): Promise<{ kid: string; retiredKid: string }> {
  const result = await context.keyStore.rotate();
  auditAdminChange(context, actor, 'signing_key.rotate', { ...result });
  return result;
}
