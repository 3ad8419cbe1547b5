import { sendDocument as sendPage } from '@ema/html';
import type { FastifyReply } from 'fastify';
import type { IdpContext } from '../idp-context.js';
import { type AuthorizationRequestOutcome, authorizationResponseUrl } from '../oidc/authorization-request.js';
import { messagePage } from '../pages/message-page.js';

/**
 * Answers an invalid authorization request: RFC 6749 §4.1.2.1: when the client or redirect URI is invalid the user
 * sees an error page (never an open redirect); otherwise the error goes back to the client's redirect URI.
 */
export function sendAuthorizationError(
  context: IdpContext,
  reply: FastifyReply,
  outcome: Exclude<AuthorizationRequestOutcome, { kind: 'valid' }>,
): FastifyReply {
  if (outcome.kind === 'show_error') {
    return sendPage(reply, 400, messagePage('Sign-in request refused', outcome.description, { error: true }));
  }
  const location = authorizationResponseUrl(outcome.redirectUri, context.config.issuer, outcome.state, {
    error: outcome.error,
    description: outcome.description,
  });
  return reply.code(302).header('cache-control', 'no-store').redirect(location);
}
