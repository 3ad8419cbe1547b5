import { sendDocument as sendPage } from '@ema/html';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import {
  authorizationResponseUrl,
  parseAuthorizationRequest,
  type RawParameters,
} from '../oidc/authorization-request.js';
import { issueAuthorizationCode } from '../oidc/issue-authorization-code.js';
import { loginPage } from '../pages/login-page.js';
import { loginCsrfToken } from '../session/csrf.js';
import { currentSession } from '../session/sso-session.js';
import { sendAuthorizationError } from './authorization-outcome.js';
import { ENDPOINT_PATHS } from './endpoint-paths.js';
import { htmlSchema, rawParametersSchema } from './schemas.js';

/**
 * The authorization endpoint (OIDC Core §3.1.2, GET and POST). A live session whose sign-in satisfies `prompt`
 * and `max_age` gets a code at once (silent SSO); otherwise the sign-in form is shown, carrying the request.
 */
export const authorizeRoutes: FastifyPluginAsyncTypebox<{ context: IdpContext }> = async (fastify, { context }) => {
  const handle = (request: FastifyRequest, reply: FastifyReply, raw: RawParameters) => {
    const outcome = parseAuthorizationRequest(raw, context.storage);
    if (outcome.kind !== 'valid') return sendAuthorizationError(context, reply, outcome);
    const authz = outcome.request;
    const active = currentSession(context, request);
    const age = active === undefined ? undefined : nowSeconds(context) - active.session.authTime;
    // OIDC Core §3.1.2.1: prompt=login forces a new sign-in; max_age bounds the age of the current one.
    const reauthenticate =
      authz.prompt.includes('login') ||
      authz.prompt.includes('select_account') ||
      (authz.maxAge !== undefined && age !== undefined && age > authz.maxAge);
    if (active !== undefined && !reauthenticate) {
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
    const csrfToken = loginCsrfToken(context, request, reply);
    return sendPage(reply, 200, loginPage({ csrfToken, hidden: authz.parameters, clientName: authz.client.name }));
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
