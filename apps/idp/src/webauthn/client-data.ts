import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';

/** Why a ceremony's client data is refused. */
export type ClientDataProblem = 'malformed' | 'wrong_type' | 'wrong_challenge' | 'wrong_origin';

/**
 * The checks of the collected client data that name a precise reason for the audit log (WebAuthn L3 §7.1 steps
 * 7-9, §7.2 steps 11-13): `type` is the ceremony's, `challenge` the one the IdP issued, `origin` the IdP's own.
 * `@simplewebauthn/server` checks them again, with the rest; these run first so a refusal says which one failed.
 */
export function clientDataProblem(
  clientDataJSON: string,
  expected: { type: 'webauthn.create' | 'webauthn.get'; challenge: string; origin: string },
): ClientDataProblem | undefined {
  let data: ReturnType<typeof decodeClientDataJSON>;
  try {
    data = decodeClientDataJSON(clientDataJSON);
  } catch {
    return 'malformed';
  }
  if (typeof data !== 'object' || data === null) return 'malformed';
  if (data.type !== expected.type) return 'wrong_type';
  if (data.challenge !== expected.challenge) return 'wrong_challenge';
  // No cross-origin (iframe) ceremonies: the pages forbid framing, and `topOrigin` would name someone else's page.
  if (data.origin !== expected.origin || data.crossOrigin === true) return 'wrong_origin';
  return undefined;
}
