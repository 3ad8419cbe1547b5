import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import {
  authorizationResponseUrl,
  parseAuthorizationRequest,
  type RawParameters,
} from '../oidc/authorization-request.js';
import { issueAuthorizationCode } from '../oidc/issue-authorization-code.js';
import { currentSession } from '../session/sso-session.js';
import { sendPasswordForm } from '../sign-in/sign-in-pages.js';
import { startSignInRequest } from '../sign-in/sign-in-requests.js';
import { authorizationRequirement, nextSignInStep } from '../sign-in/sign-in-requirement.js';
import { sendAuthorizationError } from './authorization-outcome.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';
import { htmlSchema, rawParametersSchema } from './schemas.js';

/**
 * The authorization endpoint (OIDC Core §3.1.2, GET and POST). A live session that satisfies `prompt`, `max_age`
 * and `acr_values` gets a code at once (silent SSO). Otherwise the request is stored as a pending sign-in and the
 * user asked for exactly what is missing: a sign-in, or (a recent enough session below the class asked for) only
 * the second factor, on the same session.
 */
export const authorizeRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  const handle = (request: FastifyRequest, reply: FastifyReply, raw: RawParameters) => {
    const outcome = parseAuthorizationRequest(raw, context.storage);
    if (outcome.kind === 'redirect_error' && outcome.error === 'unmet_authentication_requirements') {
      context.audit.record({
        type: 'authorize.refused',
        outcome: 'failure',
        reason: 'acr_values_unsupported',
        ...(typeof raw.client_id === 'string' ? { clientId: raw.client_id } : {}),
        details: { acr_values: typeof raw.acr_values === 'string' ? raw.acr_values.slice(0, 200) : null },
      });
    }
    if (outcome.kind !== 'valid') return sendAuthorizationError(context, reply, outcome);
    const authz = outcome.request;
    const requirement = authorizationRequirement(authz);
    const active = currentSession(context, request);
    const step = nextSignInStep(requirement, null, active, nowSeconds(context));
    if (step === 'complete' && active !== undefined) {
      const code = issueAuthorizationCode(context, authz, active);
      const location = authorizationResponseUrl(authz.redirectUri, context.config.issuer, authz.state, { code });
      return reply.code(302).header('cache-control', 'no-store').redirect(location);
    }
    if (authz.prompt.includes('none')) {
      return sendAuthorizationError(context, reply, {
        kind: 'redirect_error',
        redirectUri: authz.redirectUri,
        state: authz.state,
        error: 'login_required',
        description: 'the user must sign in',
      });
    }
    const signIn = startSignInRequest(context, { kind: 'authorization', parameters: authz.parameters }, requirement);
    if (step === 'second_factor') {
      const next = `${ENDPOINT_PATHS.passkeyLogin}?request=${encodeURIComponent(signIn.id)}`;
      return reply.code(302).header('cache-control', 'no-store').redirect(next);
    }
    return sendPasswordForm(context, request, reply, signIn);
  };
  const schema = { response: { 200: htmlSchema, 302: htmlSchema, 400: htmlSchema } };
  fastify.get(
    ENDPOINT_PATHS.authorization,
    { schema: { ...schema, querystring: rawParametersSchema } },
    async (request, reply) => handle(request, reply, request.query),
  );
  fastify.post(
    ENDPOINT_PATHS.authorization,
    { schema: { ...schema, body: rawParametersSchema } },
    async (request, reply) => handle(request, reply, request.body),
  );
};
