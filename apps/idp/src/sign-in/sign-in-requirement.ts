import { ACR_VALUES_SUPPORTED, satisfiesAcr } from '../oidc/authentication-context.js';
import type { AuthorizationRequest } from '../oidc/authorization-request.js';
import type { ActiveSession } from '../session/sso-session.js';
import type { SignInRequirement } from '../storage/sign-in-types.js';

/**
 * What an authorization request asks of the sign-in (OIDC Core §3.1.2.1): `prompt=login` (or `select_account`)
 * a sign-in made for it, `max_age` a recent enough one, `acr_values` a class. `acr_values` lists acceptable
 * classes (RFC 9470 §3: any one of them suffices), so the weakest listed one this IdP supports is the requirement.
 */
export function authorizationRequirement(request: AuthorizationRequest): SignInRequirement {
  const weakest = [...request.acrValues].sort(
    (left, right) => ACR_VALUES_SUPPORTED.indexOf(left) - ACR_VALUES_SUPPORTED.indexOf(right),
  )[0];
  return {
    acr: weakest ?? null,
    maxAgeSeconds: request.maxAge ?? null,
    reauthenticate: request.prompt.includes('login') || request.prompt.includes('select_account'),
  };
}

/** What the user must do next: nothing, a sign-in (first factor), or only the missing second factor. */
export type SignInStep = 'complete' | 'first_factor' | 'second_factor';

/**
 * The next step of a sign-in. No session, a session older than `max_age`, or (for `prompt=login`) a session not
 * made for this request: a sign-in. A session that is recent enough but below the class asked for: only the
 * missing factor, on the same session (the IdP does not ask for the password again).
 */
export function nextSignInStep(
  requirement: SignInRequirement,
  sessionMadeHere: string | null,
  active: ActiveSession | undefined,
  now: number,
): SignInStep {
  if (active === undefined) return 'first_factor';
  if (requirement.reauthenticate && active.session.id !== sessionMadeHere) return 'first_factor';
  if (requirement.maxAgeSeconds !== null && now - active.session.authTime > requirement.maxAgeSeconds) {
    return 'first_factor';
  }
  if (requirement.acr !== null && !satisfiesAcr(active.session.amr, requirement.acr)) return 'second_factor';
  return 'complete';
}
