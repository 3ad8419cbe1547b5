import type { FastifyReply, FastifyRequest } from 'fastify';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import { authorizationResponseUrl, parseAuthorizationRequest } from '../oidc/authorization-request.js';
import { issueAuthorizationCode } from '../oidc/issue-authorization-code.js';
import { sendAuthorizationError } from '../routes/authorization-outcome.js';
import { ENDPOINT_PATHS } from '../routes/endpoint-paths.js';
import type { ActiveSession } from '../session/sso-session.js';
import type { SignInRequest } from '../storage/sign-in-types.js';
import { sendPasswordForm, sendSignInExpired } from './sign-in-pages.js';
import { nextSignInStep } from './sign-in-requirement.js';

/**
 * Moves a pending sign-in on after a factor (or when its page is opened again): complete, it answers the request
 * (a code for the client, or back to the IdP page) and ends it; missing the second factor, it sends the browser to
 * the passkey page; otherwise it shows the password form.
 */
export async function continueSignIn(
  context: IdpContext,
  request: FastifyRequest,
  reply: FastifyReply,
  signIn: SignInRequest,
  active: ActiveSession | undefined,
): Promise<FastifyReply> {
  const step = nextSignInStep(signIn.requirement, signIn.sessionId, active, nowSeconds(context));
  if (step === 'second_factor') {
    return reply.code(303).redirect(`${ENDPOINT_PATHS.passkeyLogin}?request=${encodeURIComponent(signIn.id)}`);
  }
  if (step === 'first_factor' || active === undefined) return sendPasswordForm(context, request, reply, signIn);
  if (signIn.target.kind === 'return') {
    if (!context.storage.deleteSignInRequest(signIn.id)) return sendSignInExpired(reply);
    return reply.code(302).redirect(signIn.target.path);
  }
  // The parameters were validated when the request was stored; the client may have changed since.
  const authz = parseAuthorizationRequest(signIn.target.parameters, context.storage);
  if (authz.kind !== 'valid') {
    context.storage.deleteSignInRequest(signIn.id);
    return sendAuthorizationError(context, reply, authz);
  }
  // One answer per request: of two submissions racing to complete it, only the one that ends it gets a code.
  if (!context.storage.deleteSignInRequest(signIn.id)) return sendSignInExpired(reply);
  const code = issueAuthorizationCode(context, authz.request, active);
  const location = authorizationResponseUrl(authz.request.redirectUri, context.config.issuer, authz.request.state, {
    code,
  });
  return reply.code(302).header('cache-control', 'no-store').redirect(location);
}

/**
 * Gives a pending sign-in up (the user cancelled, or has no passkey for the second factor asked for): the client
 * hears `error` at its redirect URI (RFC 6749 §4.1.2.1), an IdP page is returned to as it is.
 */
export function abandonSignIn(
  context: IdpContext,
  reply: FastifyReply,
  signIn: SignInRequest,
  error: 'access_denied' | 'unmet_authentication_requirements',
  description: string,
): FastifyReply {
  context.storage.deleteSignInRequest(signIn.id);
  if (signIn.target.kind === 'return') return reply.code(303).redirect(signIn.target.path);
  const authz = parseAuthorizationRequest(signIn.target.parameters, context.storage);
  if (authz.kind !== 'valid') return sendAuthorizationError(context, reply, authz);
  return sendAuthorizationError(context, reply, {
    kind: 'redirect_error',
    redirectUri: authz.request.redirectUri,
    state: authz.request.state,
    error,
    description,
  });
}
